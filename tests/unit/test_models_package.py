"""chalicelib.storage.models: one module per table, every name importable from the package, loaded on first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from chalicelib.storage import models

ROOT = Path(__file__).resolve().parents[2]


def test_every_model_is_importable_from_the_package_and_lives_in_its_tables_module():
    for name in models.__all__:
        value = getattr(models, name)
        table = getattr(getattr(value, "Meta", None), "table_suffix", None)
        if isinstance(value, type) and table and name.endswith("Item"):
            assert value.__module__.rsplit(".", 1)[-1] == table.replace("-", "_"), (name, table)
    # And every registered model (what the tables are built from) is one of the package's names
    assert sorted(m.__name__ for m in models.all_models()) == sorted(n for n in models.__all__ if n.endswith("Item"))


def test_a_route_needing_one_table_imports_only_that_tables_module():
    code = (
        "import sys\nfrom chalicelib.storage.models import ConnectionItem\n"
        "print(sorted(m for m in sys.modules if m.startswith('chalicelib.storage.models.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['chalicelib.storage.models.connections']"


def test_unknown_names_are_an_attribute_error():
    try:
        models.NoSuchItem  # noqa: B018
    except AttributeError as exc:
        assert "has no attribute 'NoSuchItem'" in str(exc)
    else:
        raise AssertionError("NoSuchItem resolved")


def test_an_index_of_a_second_model_of_a_table_is_queryable_whichever_model_came_first(aws):
    from chalicelib.storage.base import rebind
    from chalicelib.storage.models import CommandItem, QueuedCommandItem

    # Given: a fresh binding, and the commands table first used through the model without the `due` index
    rebind()
    assert list(QueuedCommandItem.query("ACME#CP1")) == []
    # When / Then: CommandItem's `due` index answers (it was refused: "Table ... has no index: due")
    assert list(CommandItem.by_due.query("pending", CommandItem.due_at < "9")) == []
