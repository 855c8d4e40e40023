#!/usr/bin/env python3
"""Builds datasets/forces.csv from ../shared/reference-data/force-lookup/force_lookup.csv.

One row per territorial force (43), plus the national row "England and Wales" (kind = national),
with every name the force goes by in our sources (the aliases peel accepts wherever a force is named).
No figure is computed: population and officers are copied as they are.
Run: python3 scripts/data/make_forces.py ../shared/reference-data/force-lookup/force_lookup.csv > datasets/forces.csv
"""
import csv
import sys

# Names in common use that the lookup's sources do not carry (Welsh names of the Welsh forces,
# and the short forms inspectors write).
EXTRA = {
    "Metropolitan Police": ["Met", "Met Police", "Metropolitan Police Service", "MPS"],
    "London, City of": ["City of London", "City of London Police"],
    "Greater Manchester": ["GMP", "Greater Manchester Police"],
    "Dyfed-Powys": ["Heddlu Dyfed-Powys", "Dyfed Powys"],
    "Gwent": ["Heddlu Gwent"],
    "North Wales": ["Heddlu Gogledd Cymru"],
    "South Wales": ["Heddlu De Cymru"],
    "Avon and Somerset": ["Avon & Somerset"],
    "Devon and Cornwall": ["Devon & Cornwall"],
    # County abbreviations in everyday use.
    "Leicestershire": ["Leics"], "Nottinghamshire": ["Notts"], "Northamptonshire": ["Northants"],
    "Lancashire": ["Lancs"], "Hertfordshire": ["Herts"], "Bedfordshire": ["Beds"], "Cambridgeshire": ["Cambs"],
    "Gloucestershire": ["Glos"], "Wiltshire": ["Wilts"], "Staffordshire": ["Staffs"], "Derbyshire": ["Derbys"],
    "Lincolnshire": ["Lincs"], "Hampshire": ["Hants"], "West Midlands": ["WMP"], "West Yorkshire": ["WYP"],
}
SOURCE = ("force names, region, codes: ../shared/reference-data/force-lookup (Home Office PRC names; Home Office use-of-force "
          "regions; ONS PFA lookups); population (ONS mid-2018 based) and officers (FTE, 31 March 2019): House of Commons "
          "Library briefing SN00634 via Resistance-Lab/resistancelab_data")

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["force", "kind", "region", "country", "population", "officers", "pfa_code", "police_uk_id", "aliases", "source"])
for r in rows:
    name = r["force_name"]
    aliases = []
    for a in [r["use_of_force_name"], r["police_uk_label"], r["pfa16nm"], r["pfa21nm"], *EXTRA.get(name, [])]:
        if a and a != name and a not in aliases:
            aliases.append(a)
    def whole(v):
        return v[:-2] if v.endswith(".0") else v
    out.writerow([name, "force", r["region"], r["country"], whole(r["population_hoc_2019"]),
                  whole(r["police_officers_fte_31mar2019_hoc"]), r["pfa16cd"], r["police_uk_id"], "; ".join(aliases), SOURCE])
out.writerow(["England and Wales", "national", "", "", "", "", "", "",
              "; ".join(["England and Wales (43 territorial forces)", "E&W", "national"]),
              "the national row: all 43 territorial forces of England and Wales"])
