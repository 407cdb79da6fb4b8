"""The health port on DynamoDB: DescribeTable of one table (the counters table the policy grants)."""

from __future__ import annotations

from chalicelib.storage.errors import translated


class DynamoHealth:
    def check(self) -> None:
        from chalicelib.storage.models import CounterItem

        with translated():
            CounterItem.describe_table()


def build() -> DynamoHealth:
    return DynamoHealth()
