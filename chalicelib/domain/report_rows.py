"""Report rows: a session with its charging user, token and station names, and its CSV line.

Times carry the organization's UTC offset; numbers use a dot; text cells a spreadsheet would run as a
formula (leading =, +, -, @, tab, CR) get a leading apostrophe, as OWASP's CSV-injection advice says.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from chalicelib.ports.registry import store
from chalicelib.ports.reports import ReportSession

HEADER = (
    "Charging user", "Token name", "Charging station", "Charging point", "Charging volume (kWh)",
    "Start date & time", "End date & time", "Token id", "Station identifier", "Duration (h:mm:ss)",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Row:
    charging_user: str
    token_name: str
    charging_station: str
    charging_point: int
    kwh: float
    start: datetime
    end: datetime
    token_id: str
    station_id: str
    duration_s: int


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def kwh(energy_wh: float) -> float:
    return round(energy_wh / 1000.0, 3)


def duration(seconds: int) -> str:
    hours, rest = divmod(max(seconds, 0), 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


class Labels:
    """Names of charging users and tokens, read once per report (and cached for the rest of it)."""

    def __init__(self, org_id: str, station_names: dict[str, str], timezone: str) -> None:
        self.org_id = org_id
        self.station_names = station_names
        self.zone = ZoneInfo(timezone)
        self._users: dict[str, str] = {}
        self._tokens: dict[str, str] = {}

    def rows(self, sessions: list[ReportSession]) -> list[Row]:
        self._learn(sessions)
        return [self.row(s) for s in sessions]

    def row(self, s: ReportSession) -> Row:
        end = s.stopped_at or s.started_at
        return Row(
            charging_user=self._users.get(s.user_id or "", ""),
            token_name=self._tokens.get(s.id_tag, ""),
            charging_station=self.station_names.get(s.station_id, s.station_id),
            charging_point=s.connector_id,
            kwh=kwh(s.energy_wh),
            start=s.started_at.astimezone(self.zone),
            end=end.astimezone(self.zone),
            token_id=s.id_tag,
            station_id=s.station_id,
            duration_s=int((end - s.started_at).total_seconds()),
        )

    def _learn(self, sessions: list[ReportSession]) -> None:
        users = store().users
        unknown = {s.user_id for s in sessions if s.user_id and s.user_id not in self._users}
        if unknown:
            found = users.users_by_id(self.org_id, unknown)
            self._users.update({u: f"{found[u].first_name} {found[u].last_name}" if u in found else "" for u in unknown})
        for tag in {s.id_tag for s in sessions if s.id_tag not in self._tokens}:
            token = users.token(self.org_id, tag)
            self._tokens[tag] = (token.name or "") if token is not None else ""


class CsvBuffer:
    """CSV text collected until it is worth a multipart part; `take()` hands the bytes over."""

    def __init__(self, delimiter: str) -> None:
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, delimiter=delimiter, lineterminator="\r\n")

    def header(self) -> None:
        self._text.write("\ufeff")  # a BOM: spreadsheets then read the names' ä and ö as UTF-8
        self._writer.writerow(HEADER)

    def write(self, row: Row) -> None:
        self._writer.writerow((
            neutralise(row.charging_user), neutralise(row.token_name), neutralise(row.charging_station),
            row.charging_point, f"{row.kwh:.3f}", row.start.isoformat(), row.end.isoformat(),
            neutralise(row.token_id), neutralise(row.station_id), duration(row.duration_s),
        ))

    @property
    def size(self) -> int:
        return self._text.tell()

    def take(self) -> bytes:
        data = self._text.getvalue().encode("utf-8")
        self._text.seek(0)
        self._text.truncate()
        return data
