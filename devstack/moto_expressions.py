"""moto's UpdateExpression work at the cost of the expression, not of its parser (patched in by fast_dynamodb).

Every UpdateItem (and every Update of a TransactWriteItems) in moto 5.2.5 parses its UpdateExpression twice
(the request handler reads the names it uses, the backend parses it again), deep-copies the tree, and runs
ten validating processors over the copy, each of which rebuilds its dictionary of node classes for every
node it visits and tests the node against abstract classes (`isinstance` through ABCMeta). Measured on this
shared machine at load average ~15: about 1.6 ms per parse, 1.5 ms per deep copy and more per validation,
for the tasks adapter's expression of six actions. Measured A/B in the local stack (load average 8-12): moto's
CPU per UpdateItem 7.4 / 6.0 -> 5.0 / 4.5 ms, per TransactWriteItems 5.8 / 4.6 -> 4.3 / 4.0 ms (what is left is
the walks themselves and moto's request path). Here, with the same results:

- `UpdateExpressionParser.make` answers from a cache keyed by the expression's text: the tree depends on
  the text only, and nothing changes a parsed tree (the request handler only reads it; the validator works
  on its own deep copy, which is what normalization and execution change). A text that does not parse is
  never cached: its error is raised again each time.
- the validator's deep copy of a parsed tree is a plain clone: each node a new object of the same class
  with the same `type`, a new `children` list and `parent` pointing at the clone of its parent, the leaves'
  strings and numbers shared (immutable). Anything else (a node with other attributes, a child that is not
  a node or a plain scalar, a tree whose parent links are not its own shape) goes to `copy.deepcopy`.
- a processor's walk (`DepthFirstTraverser.traverse`) asks the processor once per walk which node classes it
  processes and with which function, and tests each node's class once per walk, instead of once per node;
  the order of the walk, the hook before each child, the processing and the re-linking of processed nodes
  are moto's own. Processors whose class overrides the walk itself keep moto's. `Node.find_clauses` (which
  the action-count validator calls at every node) tests whether to descend into a child once per class.

- a ConditionExpression (and a filter) is cut into tokens by a regular-expression lexer that compiles its
  patterns for every token (about 0.3-0.6 ms per condition, asked twice per conditional write): the tokens
  depend on the text only and are immutable tuples, so they are kept per text and handed out as a new
  deque of new tokens (each with its own empty `children` list, as the lexer makes them). A text the lexer
  refuses is never kept.

Equivalence: tests/devstack/test_moto_expressions.py plays update expressions of every kind (SET, REMOVE,
ADD, DELETE, functions, arithmetic, nested paths, list indexes, invalid ones) against moto as shipped and
patched, and compares every answer and error.
"""

from __future__ import annotations

import copy
from collections import deque
from functools import lru_cache
from typing import Any

from moto.dynamodb.comparisons import ConditionExpressionParser
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Expression, Node, UpdateExpressionFunction
from moto.dynamodb.parsing.expressions import UpdateExpressionParser

from devstack import moto_validation

_moto_make = UpdateExpressionParser.__dict__["make"].__func__
_moto_walk = DepthFirstTraverser.traverse_node_recursively
_moto_traverse = DepthFirstTraverser.traverse
_moto_lex = ConditionExpressionParser._lex_condition_expression
_NODE_ATTRS = ("type", "children", "parent")
_LEXED_MAX = 1024
_lexed: dict[str, tuple] = {}
_SCALARS = (str, int, bool, type(None))


@lru_cache(maxsize=1024)
def _parsed(expression: str) -> Node:
    return _moto_make(UpdateExpressionParser, expression)


def make(cls: type, expression_str: str) -> Node:
    """UpdateExpressionParser.make, cached (the classmethod's own class only: a subclass keeps moto's)."""
    if cls is not UpdateExpressionParser or type(expression_str) is not str:
        return _moto_make(cls, expression_str)
    tree = _parsed(expression_str)
    moto_validation.remember(tree)  # one tree per text: what only it decides is validated once
    return tree


class _NotPlain(Exception):
    """A tree the plain clone does not know: deep-copied as moto does."""


def deepcopy(value: Any, memo: dict | None = None) -> Any:
    """copy.deepcopy for the validators module: a parsed tree (root without parent) cloned node by node."""
    if memo is None and isinstance(value, Node) and value.__dict__.get("parent", True) is None:
        try:
            return _clone(value, None)
        except _NotPlain:
            pass
    return copy.deepcopy(value, memo)


def _clone(node: Node, parent: Node | None) -> Node:
    attrs = node.__dict__
    if tuple(attrs) != _NODE_ATTRS:
        raise _NotPlain
    clone = object.__new__(type(node))
    children = attrs["children"]
    copied = None
    if children is not None:
        if type(children) is not list:
            raise _NotPlain
        copied = []
        for child in children:
            if isinstance(child, Node):
                if child.__dict__.get("parent") is not node:
                    raise _NotPlain  # shared or re-parented: only deepcopy's memo keeps that shape
                copied.append(_clone(child, clone))
            elif type(child) in _SCALARS:
                copied.append(child)
            else:
                raise _NotPlain
    clone.__dict__.update(type=attrs["type"], children=copied, parent=parent)
    return clone


def traverse(self: DepthFirstTraverser, node: Any) -> Any:
    """DepthFirstTraverser.traverse: moto's walk, with the processor's node classes read once per walk."""
    if type(self).traverse_node_recursively is not _moto_walk or type(self).traverse is not DepthFirstTraverser.traverse:
        return _moto_traverse(self, node)
    return moto_validation.walk([self], node)


def find_clauses(self: Node, clause_types: list) -> list:
    """Node.find_clauses, the descent test (an Expression or an UpdateExpressionFunction) made once per class."""
    clauses = []
    for child in self.children or []:
        kind = type(child)
        if kind in clause_types:
            clauses.append(child)
            continue
        descends = _DESCENDS.get(kind)
        if descends is None:
            descends = _DESCENDS[kind] = isinstance(child, (Expression, UpdateExpressionFunction))
        if descends:
            clauses.extend(child.find_clauses(clause_types))
    return clauses


_DESCENDS: dict[type, bool] = {}


def lex_condition_expression(self: ConditionExpressionParser) -> deque:
    """ConditionExpressionParser._lex_condition_expression, its tokens kept per expression text."""
    text = self.condition_expression
    tokens = _lexed.get(text) if type(text) is str else None
    if tokens is None:
        lexed = _moto_lex(self)
        if type(text) is not str or any(token.children for token in lexed):
            return lexed
        if len(_lexed) >= _LEXED_MAX:
            _lexed.clear()
        tokens = _lexed[text] = tuple(lexed)
    make = ConditionExpressionParser.Node
    return deque(make(token.nonterminal, token.kind, token.text, token.value, []) for token in tokens)


def clear() -> None:
    """Forget the parsed expressions (at uninstall: a later install starts empty)."""
    _parsed.cache_clear()
    moto_validation.clear()
    _lexed.clear()
    _DESCENDS.clear()
