"""EVSE ids in the eMI3 / ISO 15118 form: country, operator id, "E", the EVSE's own identifier.

`FI*ENS*E12345*1` or `FIENSE123451`: a two-letter ISO 3166-1 country code, a three-character
operator id (letters and digits), the id type "E" and 1-30 letters, digits or "*" that name the EVSE.
The separator "*" is optional, but used either after both the country and the operator id or not at all.
Compared without case; kept upper-cased.
"""

from __future__ import annotations

import re

FORM = re.compile(r"^([A-Z]{2})(\*?)([A-Z0-9]{3})(\*?)E([A-Z0-9][A-Z0-9*]{0,29})$")

# ISO 3166-1 alpha-2: the officially assigned codes.
COUNTRIES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY
BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM
FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN
MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL
TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())


def problem(value: str) -> str | None:
    """Why `value` is not an eMI3 EVSE id, or None when it is one."""
    found = FORM.match(value.strip().upper())
    if found is None:
        return (
            "eMI3 ID must be a country code, an operator ID of 3 letters or digits, \"E\" and the EVSE's "
            "identifier (1-30 letters, digits or '*'), e.g. FI*ENS*E12345."
        )
    country, first, _, second, _ = found.groups()
    if country not in COUNTRIES:
        return f"eMI3 ID must start with an ISO 3166-1 country code; {country} is not one."
    if first != second:
        return "eMI3 ID must use the separator '*' after both the country code and the operator ID, or after neither."
    return None


def canonical(value: str) -> str:
    return value.strip().upper()
