"""PynamoDB models, one module per table; every name importable from here, each module loaded on first use.

Access patterns are listed in docs/data-model.md. A Lambda that touches one table imports only that
table's module (PEP 562 `__getattr__`); `load_all()` imports every one (table creation, tests).
"""

from __future__ import annotations

from importlib import import_module

# name -> module of this package that defines it
_HOME = {
    "station_key": "keys",
    "OrganizationItem": "organizations",
    "GroupPathIndex": "groups",
    "ChargingGroupItem": "groups",
    "StationIdIndex": "stations",
    "StationGroupPathIndex": "stations",
    "OrphanIndex": "stations",
    "StationItem": "stations",
    "ConnectionItem": "connections",
    "StationRecordMeta": "station_records",
    "ConnectorStatusItem": "station_records",
    "EventItem": "station_records",
    "SampleItem": "station_records",
    "StartKeyItem": "station_records",
    "ParkedStopItem": "station_records",
    "StationDayItem": "station_records",
    "StationLiveItem": "station_records",
    "StationHourItem": "station_records",
    "StationUseItem": "station_records",
    "DeferredLimitItem": "station_records",
    "ConfigKeyItem": "station_records",
    "StationConfigItem": "station_records",
    "ConfigTemplateItem": "station_records",
    "ConfigDriftItem": "station_records",
    "StationTransactionsIndex": "transactions",
    "ActiveTransactionsIndex": "transactions",
    "TransactionItem": "transactions",
    "OrgTimeIndex": "transactions",
    "ReportJobItem": "counters",
    "ReportLockItem": "counters",
    "CounterItem": "counters",
    "IdentifierClaimItem": "counters",
    "EvseCodeClaimItem": "counters",
    "GroupMoveItem": "counters",
    "UserGroupMemberIndex": "charging_users",
    "ChargingUserItem": "charging_users",
    "UserGroupItem": "user_groups",
    "TokenUserIndex": "tokens",
    "TokenItem": "tokens",
    "OperatorOrgIndex": "operators",
    "OperatorEmailIndex": "operators",
    "OperatorItem": "operators",
    "OperatorSessionItem": "operator_sessions",
    "OperatorTokenItem": "operator_tokens",
    "AggregateMeta": "aggregates",
    "GroupLiveItem": "aggregates",
    "RollupDayItem": "aggregates",
    "RollupHourItem": "aggregates",
    "StuckItem": "aggregates",
    "LoadSettingItem": "aggregates",
    "DueIndex": "commands",
    "CommandItem": "commands",
    "QueuedCommandItem": "commands",
    "AttemptItem": "auth_throttle",
    "DeviceItem": "auth_throttle",
    "OpenIndex": "firmware",
    "FirmwareItem": "firmware",
    "TaskDueIndex": "scheduled_tasks",
    "TaskItem": "scheduled_tasks",
    "TaskRunItem": "scheduled_tasks",
    "TaskClaimItem": "scheduled_tasks",
}

__all__ = sorted(_HOME)


def __getattr__(name: str):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOME))


def load_all() -> None:
    """Import every model module, so each model is registered (and bound) in chalicelib.storage.base."""
    for module in dict.fromkeys(_HOME.values()):
        import_module(f"{__name__}.{module}")


def all_models() -> list:
    """Every model, in declaration order (whatever order their modules were first imported in)."""
    from chalicelib.storage.base import all_models as registered

    load_all()
    order = {name: i for i, name in enumerate(_HOME)}
    return sorted(registered(), key=lambda model: order[model.__name__])
