"""The CloudWatch dashboard of a stage: the app's events, and each function's errors, throttles and duration."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.observability import EVENTS


def _widget(title: str, metrics: list, x: int, y: int, stat: str = "Sum") -> dict:
    return {
        "type": "metric",
        "x": x,
        "y": y,
        "width": 12,
        "height": 6,
        "properties": {"title": title, "metrics": metrics, "stat": stat, "period": 300, "region": "${AWS::Region}"},
    }


def dashboard_resource(functions: dict[str, Any]) -> dict:
    """`functions`: a Fn::Sub variable per function ("Fn<logical id>") -> its name (a {"Ref": ...} or a string)."""
    events = [["CSMS", name, "service", "csms"] for name in EVENTS]
    widgets = [_widget("OCPP and task events (count per 5 min)", events, 0, 0)]
    for i, (kind, stat) in enumerate((("Errors", "Sum"), ("Throttles", "Sum"), ("Duration", "Maximum"))):
        lines = [["AWS/Lambda", kind, "FunctionName", "${" + var + "}"] for var in functions]
        widgets.append(_widget(f"Lambda {kind} ({stat.lower()})", lines, 12 * ((i + 1) % 2), 6 * ((i + 1) // 2), stat))
    body = json.dumps({"widgets": widgets})
    return {
        "Type": "AWS::CloudWatch::Dashboard",
        "Properties": {
            "DashboardName": {"Fn::Sub": "csms-${Stage}"},
            "DashboardBody": {"Fn::Sub": [body, functions]},
        },
    }
