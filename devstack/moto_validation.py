"""moto's UpdateExpression validation with the checks that depend on the expression alone made once (patched in
by fast_dynamodb).

moto 5.2.5 validates an UpdateExpression for every item it updates (UpdateItem, and each Update of a
TransactWriteItems) with ten processors, each a walk over a fresh copy of the parsed tree. The first three
(`ActionCountValidator`: one SET, REMOVE, ADD clause at most; `OverlappingPathsValidator`: no path set twice or
inside another; `UpdateHashRangeKeyValidator`: no key attribute updated) read only the tree, the
ExpressionAttributeNames and the table's key attributes, and change nothing: each returns the node it was given.
The first two call `find_clauses` (a walk of its own) at every node of the tree: for the tasks adapter's
expression of eight actions they were about two thirds of a validation, ~5 of 8 ms at load average 6.

Here, for a tree that `moto_expressions.make` answered from its cache (one tree per text, never changed):
- the three checks run as moto runs them the first time a (tree, names, table key attributes) is validated;
  when they pass, that is remembered, and later validations of the same triple go straight to the fourth
  processor. A check that fails is never remembered: its error is raised again, by moto's own code, each time.
- `UpdateExpressionFunctionEvaluator` (if_not_exists, list_append) is not walked over a tree without a function
  node: it processes function nodes only, has no hook, and no earlier processor makes one.
Every other processor runs as moto's (its walk is moto_expressions.traverse), in moto's order, so value and item
errors come in moto's order with moto's texts. A validator that is not moto's own class, or whose processors are
not moto's ten, goes moto's way. Equivalence: tests/devstack/test_moto_expressions.py.
"""

from __future__ import annotations

from typing import Any

from moto.dynamodb.parsing import validators as moto_validators
from moto.dynamodb.parsing.ast_nodes import Node, UpdateExpressionFunction
from moto.dynamodb.parsing.validators import UpdateExpressionValidator

_moto_init = UpdateExpressionValidator.__init__
_moto_validate = moto_validators.Validator.validate
_PROCESSORS = (
    moto_validators.ActionCountValidator, moto_validators.OverlappingPathsValidator,
    moto_validators.UpdateHashRangeKeyValidator, moto_validators.ExpressionAttributeValueProcessor,
    moto_validators.ExpressionAttributeResolvingProcessor, moto_validators.UpdateExpressionFunctionEvaluator,
    moto_validators.NoneExistingPathChecker, moto_validators.ExecuteOperations,
    moto_validators.TypeMismatchValidator, moto_validators.EmptyStringKeyValueValidator,
)
_CHECKS = 3  # the processors that read only the tree, the names and the table's key attributes
_FUNCTIONS = _PROCESSORS.index(moto_validators.UpdateExpressionFunctionEvaluator)
_KNOWN_MAX = 1024


class _Known:
    """What is known of one cached tree: whether it has a function node, which (names, keys) passed the checks."""

    __slots__ = ("tree", "functions", "passed")

    def __init__(self, tree: Node) -> None:
        self.tree = tree  # held: its id stays its own while it is known
        self.functions = _has_function(tree)
        self.passed: set[tuple] = set()


_known: dict[int, _Known] = {}


def remember(tree: Node) -> None:
    """A tree moto_expressions.make hands out from its cache (the same object for every use of its text)."""
    if id(tree) in _known:
        return
    if len(_known) >= _KNOWN_MAX:
        _known.clear()
    _known[id(tree)] = _Known(tree)


def init(self: UpdateExpressionValidator, expression: Node, *args: Any, **kwargs: Any) -> None:
    """UpdateExpressionValidator.__init__, keeping which tree was given (the validator works on its copy)."""
    _moto_init(self, expression, *args, **kwargs)
    self._devstack_source = expression


def validate(self: UpdateExpressionValidator) -> Node:
    """Validator.validate for an UpdateExpressionValidator: moto's processors in moto's order, the expression's
    own checks skipped once they passed for this tree, names and table keys."""
    known = _known.get(id(self.__dict__.get("_devstack_source")))
    key = _checks_key(self) if known is not None and known.tree is self._devstack_source else None
    if key is None or type(self) is not UpdateExpressionValidator or tuple(map(type, self.processors)) != _PROCESSORS:
        return _moto_validate(self)
    node = self.node_to_validate
    checked = key in known.passed
    for position, processor in enumerate(self.processors):
        if (position < _CHECKS and checked) or (position == _FUNCTIONS and not known.functions):
            continue
        node = processor.traverse(node)
    if not checked:
        known.passed.add(key)
    return node


def _checks_key(self: UpdateExpressionValidator) -> tuple | None:
    """What the three checks read besides the tree; None when it cannot be a key (moto's way then)."""
    names = self.expression_attribute_names
    try:
        key = (None if names is None else frozenset(names.items()), tuple(self.table.table_key_attrs))
        hash(key)
    except (AttributeError, TypeError):
        return None
    return key


def _has_function(node: Any) -> bool:
    if isinstance(node, UpdateExpressionFunction):
        return True
    return isinstance(node, Node) and any(_has_function(child) for child in node.children or [])


def clear() -> None:
    _known.clear()
