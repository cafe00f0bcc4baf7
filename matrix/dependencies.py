"""Which statements use what an earlier one made: so that one failure spoils no more.

The matrix runs a page's statements in one session, as a reader would. When a
statement cannot run as shown on a release (it raised, or it needs an API the release
lacks), only the statements that use what it made or changed are spoiled; every other
statement is still a measurement. The link is by name, read from the code:

* a statement *binds* the names it assigns, imports or defines at the top level;
* it *reads* the names it loads when it runs (class bodies and comprehensions
  included), and its functions and lambdas read their global names *later*, when
  called (``symtable`` tells which names are global);
* it *changes* the objects it stores into (``x.grad = None``, ``d[k] = v``), calls a
  method of (``optimizer.step()``, ``model.parameters()``: the object may now be shared
  with what the call returned), or hands to an in-place function (a name ending in
  ``_``, ``nn.init.zeros_(layer.weight)``) or to a function defined on the page;
* a name remembers what it reads later: ``model = Net()`` reads what ``Net``'s methods
  read whenever ``model`` is used, and so does a function calling another.

A statement that did not run as shown spoils what it binds and what it changes (never
a module, function or class). A statement that reads a spoiled name, directly or
through what a name reads later, is spoiled by the same cause, and so are its names.
A statement that runs as shown and binds a name makes it good again.

What names cannot see: state outside them (a random generator drawn fewer times, the
gradients ``loss.backward()`` leaves on a model's parameters), and a function of a
library changing an argument without saying so. The first shows up as printed output
that differs (still recorded); the second would need the library's source.
"""

from __future__ import annotations

import ast
import symtable
from collections.abc import Iterable
from dataclasses import dataclass, field

# symtable names the scopes comprehensions run in; they run at once, unlike functions.
_COMPREHENSIONS = {"listcomp", "setcomp", "dictcomp", "genexpr"}


@dataclass(frozen=True)
class Names:
    """The names one top-level statement binds, reads and changes."""

    binds: frozenset[str]
    reads: frozenset[str]  # when it runs
    later: frozenset[str]  # when its functions and lambdas are called
    changes: frozenset[str]  # objects it stores into, calls methods of, hands to `f_`
    calls: frozenset[tuple[str, frozenset[str]]]  # (function, the names handed to it)
    imports: frozenset[str]  # the names it binds to modules (or what they hold)
    defines: frozenset[str]  # the names it binds to functions and classes


def statement_names(source: str) -> Names:
    """The names of one top-level statement's ``source``."""
    top = symtable.symtable(source, "<statement>", "exec")
    binds, reads, imports, defines = set(), set(), set(), set()
    for symbol in top.get_symbols():
        name = symbol.get_name()
        if symbol.is_referenced():
            reads.add(name)
        if symbol.is_assigned() or symbol.is_imported():
            binds.add(name)
        if symbol.is_imported():
            imports.add(name)
        elif symbol.is_namespace():
            defines.add(name)
    later: set[str] = set()
    for child in top.get_children():
        _scope_names(child, reads, later, runs_now=_runs_now(child))
    tree = ast.parse(source)
    reads -= _bound_before_read(tree)
    changes, calls = set(), set()
    for node in _running_now(tree):
        if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
            reads.add(node.target.id)  # symtable does not count it as a read; it is one
        if isinstance(node, ast.Attribute | ast.Subscript) and isinstance(
            node.ctx, ast.Store | ast.Del
        ):
            changes.update(_root(node.value))
        if isinstance(node, ast.Call):
            handed = frozenset(
                name
                for argument in [*node.args, *(k.value for k in node.keywords)]
                for name in _roots(argument)
            )
            if isinstance(node.func, ast.Attribute):
                changes.update(_root(node.func.value))
                if _in_place(node.func.attr):
                    changes.update(handed)
            elif isinstance(node.func, ast.Name):
                calls.add((node.func.id, handed))
                if _in_place(node.func.id):
                    changes.update(handed)
    return Names(
        frozenset(binds),
        frozenset(reads),
        frozenset(later),
        frozenset(changes),
        frozenset(calls),
        frozenset(imports),
        frozenset(defines),
    )


def _in_place(name: str) -> bool:
    return name.endswith("_") and not name.endswith("__")


def _root(node: ast.AST) -> list[str]:
    """The name an expression's object hangs from: ``model[0].weight`` -> ``model``
    (none for what a call returns: a new object, as far as names can tell)."""
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Starred):
        node = node.value
    return [node.id] if isinstance(node, ast.Name) else []


def _roots(node: ast.AST) -> list[str]:
    """The roots of an argument, and of each element of a list, tuple or set literal:
    ``clip_grads_with_norm_([a, b], ...)`` hands ``a`` and ``b`` to the function."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [name for element in node.elts for name in _roots(element)]
    return _root(node)


def _bound_before_read(tree: ast.AST) -> set[str]:
    """Names the statement binds before its code reads them: ``except ... as error``,
    ``for item in ...``, ``with ... as handle``. Their reads are of the new object, not
    of what an earlier statement left under that name."""
    found: set[str] = set()
    for node in _running_now(tree):
        if isinstance(node, ast.ExceptHandler) and node.name:
            found.add(node.name)
        targets = []
        if isinstance(node, ast.For | ast.AsyncFor):
            targets.append(node.target)
        if isinstance(node, ast.With | ast.AsyncWith):
            targets += [item.optional_vars for item in node.items if item.optional_vars]
        for target in targets:
            found.update(
                n.id
                for n in ast.walk(target)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
            )
    return found


def _running_now(tree: ast.AST):
    """The nodes of ``tree`` that run when it runs: not function and lambda bodies."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                todo.extend(
                    [*child.decorator_list, *child.args.defaults]
                    if not isinstance(child, ast.Lambda)
                    else child.args.defaults
                )
            else:
                todo.append(child)


def _runs_now(table: symtable.SymbolTable) -> bool:
    return table.get_type() == "class" or table.get_name() in _COMPREHENSIONS


def _scope_names(
    table: symtable.SymbolTable, now: set[str], later: set[str], runs_now: bool
) -> None:
    """Add the global names ``table`` reads to ``now`` (runs at once) or ``later``."""
    target = now if runs_now else later
    for symbol in table.get_symbols():
        if symbol.is_global() and symbol.is_referenced():
            target.add(symbol.get_name())
    for child in table.get_children():
        _scope_names(child, now, later, runs_now and _runs_now(child))


@dataclass(frozen=True)
class Cause:
    """Why a statement did not run as shown: the statement at fault, what happened."""

    kind: str  # "raised" | "not_applicable"
    source: str  # "snippets/x.py:12", the statement at fault
    reason: str  # "NameError: ...", "needs torch 2.7 (Adam's decoupled_weight_decay)"
    chunk: int  # the chunk of the statement at fault


@dataclass
class Spoiled:
    """The names whose objects may differ from the page's, walked in page order."""

    causes: dict[str, Cause] = field(default_factory=dict)
    later: dict[str, frozenset[str]] = field(default_factory=dict)
    imported: set[str] = field(
        default_factory=set
    )  # names of modules and what they hold
    functions: set[str] = field(
        default_factory=set
    )  # functions and classes of the page

    def _uses(self, names: Iterable[str]) -> list[str]:
        """``names`` and, transitively, what each reads later, in a stable order."""
        seen, order, todo = set(), [], sorted(names)
        while todo:
            name = todo.pop(0)
            if name in seen:
                continue
            seen.add(name)
            order.append(name)
            todo.extend(sorted(self.later.get(name, ())))
        return order

    def cause(self, names: Names) -> Cause | None:
        """What spoils a statement with these names (None: it can run as shown)."""
        return next(
            (self.causes[n] for n in self._uses(names.reads) if n in self.causes), None
        )

    def ran(self, names: Names) -> None:
        """The statement ran as shown: its names hold what the page says."""
        self._bind(names)
        for name in names.binds:
            self.causes.pop(name, None)

    def spoil(self, names: Names, cause: Cause) -> None:
        """The statement did not run as shown: spoil what it made or changed."""
        changed = set(names.changes)
        for function, handed in names.calls:
            if function in self.functions:  # a page's function may change its arguments
                changed |= handed
        self._bind(names)
        for name in names.binds | (changed - self.imported - self.functions):
            self.causes[name] = cause

    def _bind(self, names: Names) -> None:
        carried = names.later.union(*(self.later.get(n, ()) for n in names.reads))
        for name in names.binds:
            self.later[name] = carried
        self.imported = (self.imported - names.binds) | names.imports
        self.functions = (self.functions - names.binds) | names.defines
