"""A small safe expression language for `next` rules and conditional content; parsed, never `eval`-ed.

Why: content staff at a bureau must be able to read and audit a flow's logic, and a content pack arriving over
the fleet must never be able to run code on the kiosk. The grammar is closed:

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := sum (("=="|"!="|"<"|"<="|">"|">="|"in"|"not in") sum)?
    sum     := term (("+"|"-") term)*
    term    := unary (("*"|"/") unary)*
    unary   := "-" unary | atom
    atom    := NUMBER | STRING | "true" | "false" | "none" | NAME | "$"NAME | FUNC "(" args ")"
             | "[" [expr ("," expr)*] "]" | "(" expr ")"

NAME is the id of a page whose answer is read; `$NAME` is a parameter given by the kiosk (e.g. the provincial
legal-aid threshold). Functions: date("YYYY-MM-DD"), days_since(d), months_since(d), years_since(d),
days_until(d), answered(NAME), expired(d, "period id") (the content pack's period of that id, counted from d,
has ended before today), last_day(d, "period id") (that period's last day, moved off rest days), lpr(d) (the
one-year LPR in percent a year in force on d, from the pack's rate data; none outside the data).

An unanswered page reads as `none`, which means *unknown*: arithmetic and every comparison with an unknown value
are unknown (`amount > 100`, `amount != 100`, `amount not in [...]` and their `not` alike), `and` / `or` follow
three-valued logic (false and unknown is false, true or unknown is true), and a rule or condition holds only when
its value is exactly true. So a rule over an unanswered page never fires by accident, negated or not; to act on
absence, say so: `answered(NAME)`, or compare with the literal `none` (`x == none` is true exactly when x is
missing). The content loader refuses a rule that reads a page not answered on every path to it unless the rule
tests it with answered().
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping, Protocol

from kiosk.legal.deadlines import Period, months_between


class Rates(Protocol):
    """Published values by date (kiosk.legal.rates.RateSeries): what lpr(d) reads."""

    def on(self, day: date) -> float | None: ...


class ExpressionError(ValueError):
    """Raised for text that is not in the grammar; `.column` is the 1-based position of the fault."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})")
        self.column = column


_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<num>\d+(?:\.\d+)?)
  | (?P<str>"[^"\\]*"|'[^'\\]*')
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\*|/|\(|\)|\[|\]|,)
  | (?P<param>\$[A-Za-z_][A-Za-z0-9_]*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)

_KEYWORDS = {"and", "or", "not", "in", "true", "false", "none"}
_FUNCTIONS = {"date", "days_since", "months_since", "years_since", "days_until", "answered", "expired", "last_day",
              "lpr"}


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    column: int


def tokenize(text: str) -> list[Token]:
    """Split `text` into tokens; anything outside the grammar's alphabet is an error at its column."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ExpressionError(f"unexpected character {text[pos]!r}", pos + 1)
        kind = match.lastgroup or ""
        if kind != "ws":
            word = match.group()
            if kind == "name" and word in _KEYWORDS:
                kind = "kw"
            tokens.append(Token(kind, word, pos + 1))
        pos = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# AST nodes are tuples: ("lit", v) ("ans", id) ("param", name) ("list", [n]) ("call", f, [n])
# ("not", n) ("bool", "and"|"or", [n]) ("cmp", op, a, b) ("arith", op, a, b) ("neg", n)
Node = tuple


class _Parser:
    """Recursive descent over the token list; one method per grammar rule."""

    def __init__(self, text: str, periods: Mapping[str, Period], rates: Rates | None) -> None:
        self.tokens = tokenize(text)
        self.periods = periods
        self.rates = rates
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, text: str) -> Token:
        token = self.take()
        if token.text != text or token.kind == "str":
            raise ExpressionError(f"expected {text!r}, found {token.text or 'end'!r}", token.column)
        return token

    def at(self, *texts: str) -> bool:
        token = self.peek()
        return token.kind in ("op", "kw") and token.text in texts

    def parse(self) -> Node:
        node = self.or_()
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.text!r}", token.column)
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self.at("or"):
            self.take()
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else ("bool", "or", parts)

    def and_(self) -> Node:
        parts = [self.not_()]
        while self.at("and"):
            self.take()
            parts.append(self.not_())
        return parts[0] if len(parts) == 1 else ("bool", "and", parts)

    def not_(self) -> Node:
        if self.at("not"):
            self.take()
            return ("not", self.not_())
        return self.compare()

    def compare(self) -> Node:
        left = self.sum_()
        if self.at("==", "!=", "<", "<=", ">", ">=", "in"):
            op = self.take().text
            return ("cmp", op, left, self.sum_())
        if self.at("not") and self.tokens[self.i + 1].text == "in":
            self.i += 2
            return ("not", ("cmp", "in", left, self.sum_()))
        return left

    def sum_(self) -> Node:
        node = self.term()
        while self.at("+", "-"):
            op = self.take().text
            node = ("arith", op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            op = self.take().text
            node = ("arith", op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.at("-"):
            self.take()
            return ("neg", self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "num":
            return ("lit", float(token.text) if "." in token.text else int(token.text))
        if token.kind == "str":
            return ("lit", token.text[1:-1])
        if token.kind == "param":
            return ("param", token.text[1:])
        if token.kind == "kw" and token.text in ("true", "false", "none"):
            return ("lit", {"true": True, "false": False, "none": None}[token.text])
        if token.kind == "name":
            if self.at("("):
                return self.call(token)
            return ("ans", token.text)
        if token.kind == "op" and token.text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if token.kind == "op" and token.text == "[":
            items: list[Node] = []
            if not self.at("]"):
                items.append(self.or_())
                while self.at(","):
                    self.take()
                    items.append(self.or_())
            self.expect("]")
            return ("list", items)
        raise ExpressionError(f"unexpected {token.text or 'end'!r}", token.column)

    def call(self, name: Token) -> Node:
        if name.text not in _FUNCTIONS:
            raise ExpressionError(f"unknown function {name.text!r}", name.column)
        self.expect("(")
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.or_())
            while self.at(","):
                self.take()
                args.append(self.or_())
        self.expect(")")
        if name.text in ("expired", "last_day"):
            if len(args) != 2 or args[1][0] != "lit" or args[1][1] not in self.periods:
                raise ExpressionError(f"{name.text}() takes a date and a period id of {sorted(self.periods)}",
                                      name.column)
            return ("call", name.text, [args[0], ("period", self.periods[args[1][1]])])
        if len(args) != 1:
            raise ExpressionError(f"{name.text}() takes one argument", name.column)
        if name.text == "lpr":
            if self.rates is None:
                raise ExpressionError("lpr() needs the pack's LPR data (pack.yaml `lpr`)", name.column)
            return ("call", "lpr", [args[0], ("rates", self.rates)])
        if name.text == "date":
            if args[0][0] != "lit" or not isinstance(args[0][1], str):
                raise ExpressionError("date() takes a literal 'YYYY-MM-DD'", name.column)
            try:
                return ("lit", date.fromisoformat(args[0][1]))
            except ValueError as exc:
                raise ExpressionError(f"bad date {args[0][1]!r}", name.column) from exc
        if name.text == "answered" and args[0][0] != "ans":
            raise ExpressionError("answered() takes a page id", name.column)
        return ("call", name.text, args)


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed rule: keeps its source for error messages and the page ids it reads for load-time checks."""

    source: str
    tree: Node

    @property
    def answers_read(self) -> frozenset[str]:
        """Ids of the pages whose answers the expression reads."""
        return frozenset(_walk(self.tree, "ans"))

    @property
    def params_read(self) -> frozenset[str]:
        """Names of the `$parameters` the expression reads."""
        return frozenset(_walk(self.tree, "param"))

    def evaluate(self, answers: Mapping[str, Any], *, today: date,
                 params: Mapping[str, Any] | None = None) -> Any:
        """The value of the expression over `answers` (page id → answer) as of `today`."""
        return _Evaluator(answers, today, params or {}).eval(self.tree)

    def holds(self, answers: Mapping[str, Any], *, today: date, params: Mapping[str, Any] | None = None) -> bool:
        """True only when the expression evaluates to exactly true (none and other values are not true)."""
        return self.evaluate(answers, today=today, params=params) is True


def parse(source: str, periods: Mapping[str, Period] | None = None, rates: Rates | None = None) -> Expression:
    """Parse `source` or raise ExpressionError naming the column; `periods` are those expired() and last_day() may
    name, `rates` the LPR data lpr() reads."""
    if not isinstance(source, str):
        raise ExpressionError(f"a rule must be text, not {type(source).__name__}", 1)
    return Expression(source, _Parser(source, periods or {}, rates).parse())


def _walk(node: Node, kind: str):
    if node[0] == kind:
        yield node[1]
    for part in node[1:]:
        if isinstance(part, tuple):
            yield from _walk(part, kind)
        elif isinstance(part, list):
            for item in part:
                yield from _walk(item, kind)


_NONE = ("lit", None)
"""The literal `none`: comparing with it asks whether a value is missing, the one comparison unknown can answer."""


def _compare(op: str, a: Any, b: Any) -> bool:
    """`a op b` for two known values (unknown is handled by the caller)."""
    if op == "in":
        return isinstance(b, list) and a in b
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if isinstance(a, str) != isinstance(b, str) or isinstance(a, date) != isinstance(b, date):
        return False
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


class _Evaluator:
    def __init__(self, answers: Mapping[str, Any], today: date, params: Mapping[str, Any]) -> None:
        self.answers = answers
        self.today = today
        self.params = params
        self.functions: dict[str, Callable[[Any], Any]] = {
            "days_since": lambda d: (today - d).days if isinstance(d, date) else None,
            "days_until": lambda d: (d - today).days if isinstance(d, date) else None,
            "months_since": lambda d: months_between(d, today) if isinstance(d, date) else None,
            "years_since": lambda d: months_between(d, today) // 12 if isinstance(d, date) else None,
        }

    def eval(self, node: Node) -> Any:
        kind = node[0]
        if kind == "lit":
            return node[1]
        if kind == "ans":
            return self.answers.get(node[1])
        if kind == "param":
            return self.params.get(node[1])
        if kind == "list":
            return [self.eval(item) for item in node[1]]
        if kind == "not":
            value = self.eval(node[1])
            return None if value is None else not bool(value)
        if kind == "bool":
            values = [self.eval(part) for part in node[2]]
            decisive = node[1] == "or"                 # true decides an `or`, false decides an `and`
            if any(v is not None and bool(v) is decisive for v in values):
                return decisive
            return None if any(v is None for v in values) else not decisive
        if kind == "cmp":
            a, b = self.eval(node[2]), self.eval(node[3])
            if node[2] == _NONE or node[3] == _NONE:
                return (a is None and b is None) == (node[1] == "==") if node[1] in ("==", "!=") else None
            return None if a is None or b is None else _compare(node[1], a, b)
        if kind == "neg":
            value = self.eval(node[1])
            return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if kind == "arith":
            return _arith(node[1], self.eval(node[2]), self.eval(node[3]))
        if node[1] == "answered":
            return self.answers.get(node[2][0][1]) is not None
        if node[1] in ("expired", "last_day", "lpr"):
            start = self.eval(node[2][0])
            if not isinstance(start, date):
                return None
            if node[1] == "lpr":
                return node[2][1][1].on(start)
            due = node[2][1][1].due(start)
            return due < self.today if node[1] == "expired" else due
        return self.functions[node[1]](self.eval(node[2][0]))


_ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _arith(op: str, a: Any, b: Any) -> Any:
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
    if not numbers or (op == "/" and b == 0):
        return None
    return _ARITH[op](a, b)
