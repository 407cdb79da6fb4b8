"""Report rows: a session with its charging user, token and station names, and its CSV line.

Times carry the organization's UTC offset; numbers use a dot; text cells a spreadsheet would run as a
formula (leading =, +, -, @, tab, CR) get a leading apostrophe, as OWASP's CSV-injection advice says.
A file's lines are made from the sessions directly (`Labels.cells`: a million rows per report), with each
name's cell, each duration's text and each UTC hour's local date, hour and offset worked out once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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


_HOUR = timedelta(hours=1)
_MINUTES_SECONDS = [f":{minute:02d}:{second:02d}" for minute in range(60) for second in range(60)]


class LocalTimes:
    """`moment.astimezone(zone).isoformat()` for UTC moments, the zone consulted once per UTC hour.

    An hour whose offset is the same at its first and last microsecond and a whole number of hours keeps
    the UTC minutes, seconds and fraction: its local "YYYY-MM-DDTHH" and "+hh:mm" are kept and the rest is
    the moment's own. Any other hour (a change of offset inside it, offsets like +05:30) and any moment not
    in UTC is converted as it comes.
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self._hours: dict[tuple[int, int, int, int], tuple[str, str] | None] = {}

    def text(self, moment: datetime) -> str:
        if moment.tzinfo is not UTC:
            return moment.astimezone(self.zone).isoformat()
        key = (moment.year, moment.month, moment.day, moment.hour)
        try:
            hour = self._hours[key]
        except KeyError:
            hour = self._hours[key] = self._hour(moment)
        if hour is None:
            return moment.astimezone(self.zone).isoformat()
        # ":MM:SS" from a table, not formatted: isoformat() and format specs were half the CSV line's time
        if moment.microsecond:
            return f"{hour[0]}{_MINUTES_SECONDS[moment.minute * 60 + moment.second]}.{moment.microsecond:06d}{hour[1]}"
        return hour[0] + _MINUTES_SECONDS[moment.minute * 60 + moment.second] + hour[1]

    def _hour(self, moment: datetime) -> tuple[str, str] | None:
        first = moment.replace(minute=0, second=0, microsecond=0).astimezone(self.zone)
        last = (moment.replace(minute=59, second=59, microsecond=999999)).astimezone(self.zone)
        offset = first.utcoffset()
        if offset is None or offset != last.utcoffset() or offset % _HOUR:
            return None
        text = first.isoformat()  # "YYYY-MM-DDTHH:00:00+hh:mm"
        return text[:13], text[19:]


class Labels:
    """Names of charging users and tokens, read once per report (and cached for the rest of it)."""

    def __init__(self, org_id: str, station_names: dict[str, str], timezone: str) -> None:
        self.org_id = org_id
        self.station_names = station_names
        self.zone = ZoneInfo(timezone)
        self._users: dict[str, str] = {}
        self._tokens: dict[str, str] = {}
        self._times = LocalTimes(self.zone)
        self._cells: dict[tuple[str, str], str] = {}  # (kind, key) -> the neutralised cell
        self._durations: dict[int, str] = {}

    def rows(self, sessions: list[ReportSession]) -> list[Row]:
        self._learn(sessions)
        return [self.row(s) for s in sessions]

    def lines(self, sessions: list[ReportSession]) -> list[tuple]:
        """The CSV cells of each session: what `CsvBuffer.write(self.row(s))` writes, made without the Row."""
        self._learn(sessions)
        return [self.cells(s) for s in sessions]

    def cells(self, s: ReportSession) -> tuple:
        end = s.stopped_at or s.started_at
        seconds = int((end - s.started_at).total_seconds())
        text = self._durations.get(seconds)
        if text is None:
            text = self._durations[seconds] = duration(seconds)
        return (
            self._cell("user", s.user_id or ""), self._cell("token", s.id_tag), self._cell("station", s.station_id),
            s.connector_id, f"{kwh(s.energy_wh):.3f}", self._times.text(s.started_at), self._times.text(end),
            self._cell("tag", s.id_tag), self._cell("id", s.station_id), text,
        )

    def _cell(self, kind: str, key: str) -> str:
        try:
            return self._cells[kind, key]
        except KeyError:
            pass
        if kind == "user":
            value = self._users.get(key, "")
        elif kind == "token":
            value = self._tokens.get(key, "")
        elif kind == "station":
            value = self.station_names.get(key, key)
        else:
            value = key
        cell = self._cells[kind, key] = neutralise(value)
        return cell

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

    def write_all(self, lines: list[tuple]) -> None:
        """Rows as `Labels.lines` makes them."""
        self._writer.writerows(lines)

    @property
    def size(self) -> int:
        return self._text.tell()

    def take(self) -> bytes:
        data = self._text.getvalue().encode("utf-8")
        self._text.seek(0)
        self._text.truncate()
        return data
