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
- the six processors after the checks other than `NoneExistingPathChecker` (values, paths read from the item,
  functions, + and -, key types, empty key strings) run in one walk: each node, after its children, is processed
  by each of them in moto's order. That gives moto's tree when none raises: every replacement they make is a
  leaf or a subtree the walk has already processed, and none reads what a later one changes, except a function
  whose argument holds an operation (`list_append((:a + :b), l)`: moto evaluates the function first), so such a
  tree keeps one walk per processor. The check that no path the item lacks is left (its own walk) comes last
  instead of fourth. When anything raises, the validation is made again moto's way, on a fresh copy of the
  tree with fresh processors (validation changes neither the item nor the values), so the error is moto's
  first error with moto's text, in moto's order.
A validator that is not moto's own class, or whose processors are not moto's ten, goes moto's way.
Measured in-process on the tick's 100-item TransactWriteItems (20 Updates of 8 actions, 80 conditional Puts):
moto's backend CPU ~77 -> ~45 ms per request. Equivalence: tests/devstack/test_moto_expressions.py.
"""

from __future__ import annotations

from typing import Any

from moto.dynamodb.parsing import validators as moto_validators
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node, UpdateExpressionFunction, UpdateExpressionValue
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
_PATHS_LEFT = _PROCESSORS.index(moto_validators.NoneExistingPathChecker)
_KNOWN_MAX = 1024
_no_hook = DepthFirstTraverser.pre_processing_of_child


class _Known:
    """What is known of one cached tree: whether it has a function node, which (names, keys) passed the checks."""

    __slots__ = ("tree", "functions", "fused", "passed")

    def __init__(self, tree: Node) -> None:
        self.tree = tree  # held: its id stays its own while it is known
        self.functions = _has_function(tree)
        # an operation inside a function's argument (list_append((:a + :b), l)) meets the function before its
        # operation is made in moto's order, after it in one walk: such a tree is validated moto's way
        self.fused = not _operation_in_function(tree, False)
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
    processors = self.processors
    if key not in known.passed:
        for processor in processors[:_CHECKS]:
            node = processor.traverse(node)
        known.passed.add(key)
    if not known.fused:
        return _each(processors, node, known)
    try:
        return _fused(processors, node, known)
    except Exception:  # noqa: BLE001 - moto's own order decides which error: again, on a fresh copy
        self.node_to_validate = moto_validators.deepcopy(known.tree)
        self.processors = self.get_ast_processors()
        return _each(self.processors, self.node_to_validate, known)


def _each(processors: list, node: Node, known: _Known) -> Node:
    """The processors after the checks, one walk each, in moto's order."""
    for position in range(_CHECKS, len(processors)):
        if position != _FUNCTIONS or known.functions:
            node = processors[position].traverse(node)
    return node


def _fused(processors: list, node: Node, known: _Known) -> Node:
    """The processors after the checks in one walk (each node processed by each in moto's order, after its
    children), then the check that no path is left that the item lacks. Same tree as moto's walks when no
    processor raises (every replacement is a leaf or a subtree already processed); on any error, moto's walks
    are made again by the caller. Processors that are not moto's plain traversers go moto's way."""
    steps = [p for i, p in enumerate(processors) if i >= _CHECKS and i != _PATHS_LEFT and (i != _FUNCTIONS or known.functions)]
    node = walk(steps, node)
    return processors[_PATHS_LEFT].traverse(node)


def walk(steps: list[DepthFirstTraverser], root: Node) -> Node:
    """moto's DepthFirstTraverser walk for several traversers at once: bottom up, each node processed by each
    traverser in turn (`process`: the first class of its map the node is an instance of), the replacement
    linked in the node's place; each traverser's hook called before each child (only where it has one)."""
    maps = [(p.nodes_to_be_processed(), _functions(p)) for p in steps]
    hooks = [p.pre_processing_of_child for p in steps if type(p).pre_processing_of_child is not _no_hook]
    plans: dict[type, list] = {}

    def plan(kind: type) -> list:  # per step: its processing function for a node of this class, or None
        found = plans.get(kind)
        if found is None:
            found = plans[kind] = [
                (_first(kind, functions) if issubclass(kind, wanted) else None) for wanted, functions in maps
            ]
        return found

    def visit(node: Any, child_id: int) -> Any:
        if not isinstance(node, Node):
            return node
        parent_node = node.parent
        if node.children is not None:
            for i, child_node in enumerate(node.children):
                for hook in hooks:
                    hook(node, i)
                visit(child_node, i)
        for position in range(len(maps)):
            function = plan(type(node))[position]
            if function is not None:
                node = function(node)
                node.parent = parent_node
                if parent_node:
                    parent_node.children[child_id] = node
        return node

    return visit(root, -1)


def _functions(step: DepthFirstTraverser) -> Any:
    """The processing map's (class, function) pairs; the traverser's own `process` where it has its own."""
    if type(step).process is DepthFirstTraverser.process:
        return tuple(step._processing_map().items())
    return step.process


def _first(kind: type, functions: Any) -> Any:
    if callable(functions):
        return functions
    return next((function for class_key, function in functions if issubclass(kind, class_key)), _none)


def _none(node: Any) -> None:
    """What moto's process answers for a node no class of the map matches (then fails on `.parent`)."""
    return None


def _checks_key(self: UpdateExpressionValidator) -> tuple | None:
    """What the three checks read besides the tree; None when it cannot be a key (moto's way then)."""
    names = self.expression_attribute_names
    try:
        key = (None if names is None else frozenset(names.items()), tuple(self.table.table_key_attrs))
        hash(key)
    except (AttributeError, TypeError):
        return None
    return key


def _operation_in_function(node: Any, inside: bool) -> bool:
    if not isinstance(node, Node):
        return False
    if inside and isinstance(node, UpdateExpressionValue):
        return True
    inside = inside or isinstance(node, UpdateExpressionFunction)
    return any(_operation_in_function(child, inside) for child in node.children or [])


def _has_function(node: Any) -> bool:
    if isinstance(node, UpdateExpressionFunction):
        return True
    return isinstance(node, Node) and any(_has_function(child) for child in node.children or [])


def clear() -> None:
    _known.clear()
