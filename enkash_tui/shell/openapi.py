"""``enkash-tui openapi [--profile NAME]``: the OpenAPI 3.1 document of the API as this client
speaks it (``api.openapi``), on stdout. With ``--profile``, that profile's route overrides and
base URL; without, the route table as shipped and the sandbox's address."""

from __future__ import annotations

import argparse
import json

from enkash_tui.api.openapi import build_document
from enkash_tui.api.routes import build_routes
from enkash_tui.shell import EXIT_OK


def print_openapi(args: argparse.Namespace) -> int:
    if args.profile is None:
        document = build_document(build_routes())
    else:
        from enkash_tui.shell.signin import choose_profile

        profile = choose_profile(args)
        document = build_document(build_routes(profile.routes), server=profile.base_url,
                                  server_name=f"profile {profile.name}")  # fmt: skip
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return EXIT_OK
