"""Word lists for the sandbox's demo data (see book.py): names, places, banks and products."""

from __future__ import annotations

# (state, GST state code, weight, ((city, 3-digit PIN prefix, seller branch code), ...)).
# The demo seller sits in Maharashtra, so most of its customers do too.
STATES: tuple[tuple[str, str, int, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "Maharashtra",
        "27",
        34,
        (
            ("Mumbai", "400", "MUM01"),
            ("Pune", "411", "PUN01"),
            ("Thane", "400", "MUM01"),
            ("Nagpur", "440", "NAG01"),
            ("Nashik", "422", "PUN01"),
            ("Aurangabad", "431", "PUN01"),
            ("Kolhapur", "416", "PUN01"),
            ("Navi Mumbai", "400", "MUM01"),
        ),
    ),
    (
        "Gujarat",
        "24",
        9,
        (
            ("Ahmedabad", "380", "AHD01"),
            ("Surat", "395", "AHD01"),
            ("Vadodara", "390", "AHD01"),
            ("Rajkot", "360", "AHD01"),
        ),
    ),
    (
        "Karnataka",
        "29",
        9,
        (("Bengaluru", "560", "BLR01"), ("Mysuru", "570", "BLR01"), ("Hubballi", "580", "BLR01")),
    ),
    (
        "Tamil Nadu",
        "33",
        7,
        (("Chennai", "600", "CHN01"), ("Coimbatore", "641", "CHN01"), ("Madurai", "625", "CHN01")),
    ),
    ("Delhi", "07", 7, (("New Delhi", "110", "DEL01"), ("Delhi", "110", "DEL01"))),
    (
        "Uttar Pradesh",
        "09",
        5,
        (("Noida", "201", "DEL01"), ("Lucknow", "226", "DEL01"), ("Kanpur", "208", "DEL01")),
    ),
    ("Haryana", "06", 4, (("Gurugram", "122", "DEL01"), ("Faridabad", "121", "DEL01"))),
    ("Telangana", "36", 5, (("Hyderabad", "500", "HYD01"), ("Warangal", "506", "HYD01"))),
    ("West Bengal", "19", 4, (("Kolkata", "700", "KOL01"), ("Howrah", "711", "KOL01"))),
    ("Rajasthan", "08", 3, (("Jaipur", "302", "DEL01"), ("Jodhpur", "342", "AHD01"))),
    (
        "Punjab",
        "03",
        2,
        (("Ludhiana", "141", "DEL01"), ("Amritsar", "143", "DEL01"), ("Jalandhar", "144", "DEL01")),
    ),
    ("Madhya Pradesh", "23", 3, (("Indore", "452", "NAG01"), ("Bhopal", "462", "NAG01"))),
    ("Kerala", "32", 2, (("Kochi", "682", "BLR01"), ("Thiruvananthapuram", "695", "BLR01"))),
    (
        "Andhra Pradesh",
        "37",
        2,
        (("Visakhapatnam", "530", "HYD01"), ("Vijayawada", "520", "HYD01")),
    ),
    ("Odisha", "21", 1, (("Bhubaneswar", "751", "KOL01"),)),
    ("Goa", "30", 1, (("Panaji", "403", "PUN01"), ("Margao", "403", "PUN01"))),
    ("Chhattisgarh", "22", 1, (("Raipur", "492", "NAG01"),)),
    ("Jharkhand", "20", 1, (("Jamshedpur", "831", "KOL01"), ("Ranchi", "834", "KOL01"))),
    ("Bihar", "10", 1, (("Patna", "800", "KOL01"),)),
    ("Assam", "18", 1, (("Guwahati", "781", "KOL01"),)),
    ("Uttarakhand", "05", 1, (("Dehradun", "248", "DEL01"),)),
    ("Chandigarh", "04", 1, (("Chandigarh", "160", "DEL01"),)),
)

# Address lines: "{unit} {n}, {place}, {city}".
UNITS = ("Plot No.", "Gala No.", "Shop No.", "Unit", "Office No.", "Survey No.", "Shed No.")
PLACES = (
    "Industrial Estate",
    "Industrial Area Phase II",
    "Transport Nagar",
    "Commercial Complex, Station Road",
    "Trade Centre, MG Road",
    "Sector 18",
    "Laxmi Industrial Estate",
    "Shivaji Nagar",
    "Gandhi Market",
    "Ring Road",
    "Market Yard",
    "Nehru Nagar",
    "Patel Chambers, Link Road",
    "Ganesh Complex, Old Highway",
)
# The state industrial-development estates (each state's own agency).
STATE_ESTATES = {
    "Maharashtra": "MIDC Industrial Area",
    "Gujarat": "GIDC Estate",
    "Karnataka": "KIADB Industrial Area",
    "Tamil Nadu": "SIDCO Industrial Estate",
    "Delhi": "DSIIDC Industrial Area",
    "Uttar Pradesh": "UPSIDA Industrial Area",
    "Haryana": "HSIIDC Industrial Estate",
    "Telangana": "TSIIC Industrial Park",
    "West Bengal": "WBIIDC Industrial Estate",
    "Rajasthan": "RIICO Industrial Area",
    "Punjab": "Focal Point",
    "Madhya Pradesh": "MPIDC Industrial Area",
    "Kerala": "KINFRA Industrial Park",
    "Andhra Pradesh": "APIIC Industrial Park",
    "Odisha": "IDCO Industrial Estate",
    "Goa": "Verna Industrial Estate",
    "Chhattisgarh": "CSIDC Industrial Area",
    "Jharkhand": "JIADA Industrial Area",
    "Bihar": "BIADA Industrial Area",
    "Assam": "AIIDC Industrial Estate",
    "Uttarakhand": "SIIDCUL Industrial Estate",
    "Chandigarh": "Industrial Area Phase I",
}

# Legal names: "{prefix} {industry} {suffix}" or "{family} {industry} {suffix}".
PREFIXES = (
    "Shree Ganesh", "Kaveri", "Bharat", "Sai", "Jai Hind", "Om", "Laxmi", "Balaji",
    "Sri Venkateswara", "Annapurna", "Mahalaxmi", "Krishna", "Gurukrupa", "Siddhivinayak",
    "Navkar", "Parshwa", "Ambika", "Surya", "Sahyadri", "Deccan", "Konark", "Narmada",
    "Godavari", "Indus", "Himalaya", "Vindhya", "Ashoka", "Trident", "Pioneer", "Apex",
    "Unity", "Royal", "Sterling", "National", "Western", "Eastern", "Coastal", "Tirupati",
    "Shivam", "Sunrise", "Kalinga", "Malabar", "Rajdhani", "Vijay", "Mangalam", "Akshar",
    "Kamdhenu", "Saraswati", "Ganga", "Yamuna", "Shubham", "Amrut", "Swastik", "Jyoti",
    "Prakash", "Samrat", "Nilkanth", "Chamunda", "Vardhman", "Kohinoor",
)  # fmt: skip
FAMILY_NAMES = (
    "Agarwal", "Patel", "Shah", "Reddy", "Iyer", "Mehta", "Jain", "Gupta", "Bansal", "Goyal",
    "Desai", "Kulkarni", "Joshi", "Singhania", "Khandelwal", "Chettiar", "Naidu", "Thakkar",
    "Mittal", "Oswal", "Bhandari", "Kapoor", "Malhotra", "Pillai", "Rathi",
)  # fmt: skip
# (industry words, products or services it bills for, True when it sells services)
INDUSTRIES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    ("Steel Traders", ("HR coils", "CR sheets", "TMT bars", "MS angles", "GP coils"), False),
    ("Agro Foods", ("basmati rice", "wheat flour", "pulses", "edible oil", "spices"), False),
    ("Polymers", ("PP granules", "HDPE resin", "LLDPE film grade", "masterbatch"), False),
    ("Textiles", ("cotton yarn", "grey fabric", "denim fabric", "viscose yarn"), False),
    ("Pharma", ("API intermediates", "excipients", "tablet packs", "bulk drugs"), False),
    ("Auto Components", ("brake drums", "forged shafts", "gear blanks", "radiator hoses"), False),
    ("Engineering Works", ("fabricated structures", "machined parts", "conveyor frames"), False),
    ("Chemicals", ("caustic soda", "sulphuric acid", "solvents", "dyes intermediates"), False),
    ("Packaging", ("corrugated boxes", "BOPP tapes", "stretch film", "shrink sleeves"), False),
    ("Electricals", ("LT panels", "copper cables", "switchgear", "LED fittings"), False),
    ("Logistics", ("FTL freight", "warehousing", "last-mile delivery", "ODC transport"), True),
    ("Cement Products", ("PPC cement", "fly ash bricks", "RMC", "paver blocks"), False),
    ("Paper Mills", ("kraft paper", "duplex board", "maplitho paper"), False),
    ("Plastics", ("PVC pipes", "moulded crates", "HDPE tanks", "injection moulded parts"), False),
    ("Infra Projects", ("civil works", "road works", "site development"), True),
    ("Hardware", ("fasteners", "hand tools", "door fittings", "GI wire"), False),
    ("Dairy Products", ("milk powder", "ghee", "paneer", "butter"), False),
    ("Spices", ("turmeric", "red chilli powder", "cumin seeds", "garam masala"), False),
    ("Ceramics", ("vitrified tiles", "sanitaryware", "wall tiles"), False),
    ("Garments", ("cotton shirts", "uniforms", "knitted T-shirts"), False),
    ("IT Solutions", ("AMC services", "software licences", "cloud hosting"), True),
    ("Pumps", ("submersible pumps", "monoblock pumps", "pump spares"), False),
    ("Castings", ("SG iron castings", "grey iron castings", "aluminium castings"), False),
    ("Facility Services", ("housekeeping services", "security services", "pest control"), True),
    ("Fertilisers", ("urea", "DAP", "NPK blends", "micronutrients"), False),
    ("Glass Works", ("float glass", "toughened glass", "glass bottles"), False),
)
# (suffix, PAN holder type: C company, F firm/LLP)
SUFFIXES = (
    ("Pvt Ltd", "C"),
    ("Pvt Ltd", "C"),
    ("Private Limited", "C"),
    ("Ltd", "C"),
    ("LLP", "F"),
    ("& Co.", "F"),
)

FIRST_NAMES = (
    "Rajesh", "Suresh", "Amit", "Priya", "Sneha", "Rahul", "Anil", "Sunita", "Kavita", "Vijay",
    "Deepak", "Pooja", "Ramesh", "Neha", "Sanjay", "Arjun", "Divya", "Manoj", "Lakshmi",
    "Karthik", "Meena", "Ashok", "Swati", "Nitin", "Rekha", "Harish", "Anjali", "Prakash",
    "Shilpa", "Gaurav", "Venkatesh", "Farhan", "Imran", "Zoya", "Gurpreet", "Harpreet",
    "Siddharth", "Aparna", "Mahesh", "Bhavna",
)  # fmt: skip
MIDDLE_NAMES = ("Kumar", "Prasad", "Chandra", "Mohan", "Lal", "Devi", "Rani", "Nath")
LAST_NAMES = (
    "Sharma", "Verma", "Patil", "Deshmukh", "Kulkarni", "Iyer", "Nair", "Reddy", "Rao", "Shah",
    "Patel", "Mehta", "Gupta", "Singh", "Khan", "Sheikh", "Menon", "Pillai", "Chatterjee",
    "Banerjee", "Das", "Joshi", "Pandey", "Mishra", "Yadav", "Jadhav", "Pawar", "Shinde",
    "Agarwal", "Naidu", "Gill", "Sandhu", "Bose", "Kamath", "Hegde",
)  # fmt: skip

# IFSC bank prefix and that bank's account-number length.
BANKS = (
    ("HDFC", 14),
    ("ICIC", 12),
    ("SBIN", 11),
    ("UTIB", 15),
    ("KKBK", 10),
    ("PUNB", 16),
    ("BARB", 14),
    ("CNRB", 13),
    ("UBIN", 15),
    ("IDFB", 11),
    ("YESB", 15),
    ("INDB", 12),
    ("BKID", 15),
    ("SVCB", 13),
)

AGENTS = (
    "Anita Desai",
    "Rahul Patil",
    "Sneha Iyer",
    "Vikram Singh",
    "Farhan Shaikh",
    "Meera Nair",
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Bharat Connect: what buyer and supplier write when they act on a network invoice, by action.
NETWORK_REMARKS: dict[str, tuple[str, ...]] = {
    "ACCEPTED": (
        "Goods received",
        "Services rendered as agreed",
        "Matched with PO and GRN",
        "Accepted for payment",
    ),
    "RETURNED": (
        "PO number missing",
        "GSTIN on the invoice does not match ours",
        "Rate differs from the PO",
        "Quantity differs from the GRN",
        "Wrong billing address",
    ),
    "REJECTED": (
        "Duplicate invoice",
        "Order was cancelled",
        "Goods not received",
        "Not raised against a valid PO",
    ),
    "RESUBMITTED": ("Corrected and sent again", "PO number added", "Revised as per the PO"),
    "CANCELLED": ("Raised in error", "Replaced by a corrected invoice", "Order cancelled"),
    "PAYMENT_ACCEPTED": ("Received in bank", "Credit seen in the statement", "Settled"),
    "PAYMENT_REJECTED": ("Not in our bank statement", "UTR not found", "Amount does not match"),
    "MARKED_PAID": ("Settled outside the network", "Payment received"),
}
