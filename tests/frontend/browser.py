"""axe-core (from frontend/node_modules) run inside the page: WCAG A and AA violations as text lines."""

from __future__ import annotations

import json

from devstack.browser import FRONTEND

AXE = FRONTEND / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[str]:
    if not AXE.is_file():
        raise AssertionError("axe-core is not installed: run `make frontend` (npm ci in frontend/)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {json.dumps(node['target'])}: {node.get('failureSummary', '')}"
        for v in result["violations"]
        for node in v["nodes"]
    ]
