"""Safe YAML that remembers where every key and list item was written.

A scenario error is only useful if it says where to look:
``deir.yaml:14: strike.releases.count: ...``. ``yaml.safe_load`` forgets
positions as soon as it builds Python objects, so this module composes the
node graph first and walks it, building the plain data and, beside it, the
line of every key path and the text of every scalar as it was written.

Loading is safe by construction: nothing is ever instantiated from a tag.
Any tag beyond plain YAML data (``!!python/object``, ``!!set``, ``!custom``)
is refused with the line it is on.

Work is bounded whatever the text: aliases may repeat at most
``MAX_REPEATED`` values in all (a "billion laughs" document, each alias
doubling the one before, is refused after one pass over its distinct nodes,
before anything is expanded), and nesting deeper than Python's recursion
limit is refused as such.

Two readings differ from PyYAML's YAML 1.1 defaults, on purpose and as in
YAML 1.2: ``16:25`` unquoted is the text ``"16:25"`` (a clock time), not the
base-60 integer 985 that would silently become 985 minutes; and ``1e3`` is a
number, not a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

KeyPath = tuple[str | int, ...]
"""Keys and list indices from the top of the document: ``("sites", 0, "radius_km")``."""

_TAG = "tag:yaml.org,2002:"
MAX_REPEATED = 100_000
"""Values that aliases may repeat in one document: far more than any scenario uses."""
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "binary")}


class LineLoader(yaml.SafeLoader):
    """A SafeLoader with YAML 1.2 numbers: no base-60, exponents without a dot."""


LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (_TAG + "int", _TAG + "float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LineLoader.add_implicit_resolver(
    _TAG + "int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
LineLoader.add_implicit_resolver(
    _TAG + "float",
    re.compile(r"""^(?:[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?
                   |[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?
                   |[-+]?\.(?:inf|Inf|INF)
                   |\.(?:nan|NaN|NAN))$""", re.VERBOSE),
    list("-+0123456789."),
)


class YamlProblem(Exception):
    """The text is not plain safe YAML; ``line`` is 1-based, or None if unknown."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(line, message)
        self.line = line
        self.message = message

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class Document:
    """Plain data, plus the line of every key path and each scalar's text as written."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    written: dict[KeyPath, str] = field(default_factory=dict)


def parse_yaml(text: str) -> Document:
    """Parse one YAML document safely; an empty document gives ``data=None``.

    Raises ``YamlProblem`` for syntax errors, disallowed tags, duplicate or
    non-scalar keys and recursive aliases.
    """
    loader = None
    try:
        loader = LineLoader(text)
        root = loader.get_single_node()
        if root is None:
            return Document(None)
        _check_expansion(root)
        walker = _Walker(loader)
        data = walker.walk(root, (), set())
        walker.lines.setdefault((), _line(root))
        return Document(data, walker.lines, walker.written)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if error.context and problem.startswith("but "):
            problem = f"{error.context}, {problem}"
        raise YamlProblem(mark.line + 1 if mark else None, f"YAML syntax error: {problem}") from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        character = f"#x{error.character:04x}" if isinstance(error.character, int) else repr(error.character)
        raise YamlProblem(line, f"YAML syntax error: unacceptable character {character}: {error.reason}") from None
    except RecursionError:
        raise YamlProblem(None, "YAML nested too deeply (lists or mappings inside each other "
                                "thousands of levels down)") from None
    finally:
        if loader is not None:
            loader.dispose()


def _check_expansion(root: Node) -> None:
    """Refuse a document whose aliases would repeat more than ``MAX_REPEATED`` values.

    Each node's expanded size (itself and everything below, aliases followed)
    is counted once per distinct node, so the check costs one pass however
    large the expansion; the deepest node that expands too far is named.
    """
    sizes: dict[int, int] = {}
    culprit: list[Node] = []

    def size(node: Node, active: frozenset[int]) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in active or isinstance(node, ScalarNode):
            return 1  # a cycle is reported by the walker
        inner = frozenset(active | {id(node)})
        children = node.value if isinstance(node, SequenceNode) else \
            [child for pair in node.value for child in pair] if isinstance(node, MappingNode) else []
        total = 1 + sum(size(child, inner) for child in children)
        sizes[id(node)] = total
        if total - len(sizes) > MAX_REPEATED and not culprit:
            culprit.append(node)
        return total

    size(root, frozenset())
    if culprit:
        raise YamlProblem(_line(culprit[0]), f"YAML aliases here repeat more than {MAX_REPEATED:,} values "
                                             "(a document that expands itself); write the values out instead")


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _shown_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


class _Walker:
    def __init__(self, loader: LineLoader) -> None:
        self.loader = loader
        self.lines: dict[KeyPath, int] = {}
        self.written: dict[KeyPath, str] = {}

    def walk(self, node: Node, path: KeyPath, active: set[int]) -> Any:
        if id(node) in active:
            raise YamlProblem(_line(node), "an alias refers to the mapping or list that contains it")
        if isinstance(node, ScalarNode):
            self.written[path] = self._as_written(node)
            return self._scalar(node)
        active = active | {id(node)}
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                raise self._refused(node)
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = _line(item)
                items.append(self.walk(item, path + (index,), active))
            self._flow_text(node, path)
            return items
        if not isinstance(node, MappingNode) or node.tag != _TAG + "map":
            raise self._refused(node)
        own: set[Any] = set()
        for key_node, _ in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(_line(key_node), "a key must be a plain name, not a list or mapping")
            if key_node.tag != _TAG + "merge":
                key = self._scalar(key_node)
                if key in own:
                    raise YamlProblem(_line(key_node), f"duplicate key {key!r}")
                own.add(key)
        self.loader.flatten_mapping(node)  # "<<: *defaults" first, then the mapping's own keys
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            self.lines[path + (key,)] = _line(key_node)
            mapping[key] = self.walk(value_node, path + (key,), active)
        self._flow_text(node, path)
        return mapping

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _PLAIN_TAGS:
            raise self._refused(node)
        return self.loader.construct_object(node)

    def _refused(self, node: Node) -> YamlProblem:
        return YamlProblem(_line(node), f"tag {_shown_tag(node.tag)} is not allowed: scenario files "
                                        "are read with safe YAML loading and hold plain data only "
                                        "(numbers, text, lists and mappings)")

    @staticmethod
    def _as_written(node: ScalarNode) -> str:
        buffer = node.start_mark.buffer
        if node.style in ("|", ">") or buffer is None:
            return " ".join(node.value.split())
        return _text(buffer, node)

    def _flow_text(self, node: Node, path: KeyPath) -> None:
        """A one-line flow collection (``[1, 2]``, ``{dist: normal}``) is shown as written."""
        buffer = node.start_mark.buffer
        if getattr(node, "flow_style", False) and buffer is not None and node.start_mark.line == node.end_mark.line:
            self.written[path] = _text(buffer, node)


def _text(buffer: str, node: Node) -> str:
    """The node's source text on one line, without a leading anchor or tag."""
    text = " ".join(buffer[node.start_mark.index:node.end_mark.index].split())
    return re.sub(r"^(?:[&!]\S*\s+)+", "", text)
