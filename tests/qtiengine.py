"""An independent QTI 2.1 engine for the tests: pyslet (written by an editor of the QTI
specification) parses an item, checking every element against QTI's content model,
and runs its response processing on given responses. Nothing here imports examgen.

pyslet knows no MathML, so formulas are replaced by a span before it reads an item; two
gaps in pyslet are patched below (equal's tolerance, mapEntry's caseSensitive).
"""

from __future__ import annotations

import re
from typing import Any

from pyslet.qtiv2.expressions import Equal
from pyslet.qtiv2.variables import (
    BaseType,
    Cardinality,
    ItemSessionState,
    MapEntry,
    Mapping,
    StringValue,
    Value,
)
from pyslet.qtiv2.xml import QTIDocument
from pyslet.xml import xsdatatypes

# pyslet reads equal's tolerance as one string, not the list of one or two numbers the
# specification says ("0.5 0.5" became the characters "0", "."): read it as a list.
Equal.XMLATTR_tolerance = ("tolerance", str, str, list)

# pyslet predates mapEntry's caseSensitive (QTI 2.1 final): a string response that matches
# a key with caseSensitive="false" in another case maps as that key.
MapEntry.XMLATTR_caseSensitive = ("caseSensitive", xsdatatypes.boolean_from_str,
                                  xsdatatypes.boolean_to_str)
MapEntry.caseSensitive = True
_map_value = Mapping.map_value


def _map_value_with_case(self: Any, value: Any) -> Any:
    if value and value.cardinality() == Cardinality.single and \
            value.baseType == BaseType.string:
        for entry in self.MapEntry:
            if not entry.caseSensitive and entry.mapKey.lower() == value.value.lower():
                value = StringValue(entry.mapKey)
                break
    return _map_value(self, value)


Mapping.map_value = Mapping.MapValue = _map_value_with_case

_MATH = re.compile(rb"<math\b.*?</math>", re.DOTALL)


def read_item(xml: bytes) -> Any:
    """The item as pyslet's object model (raises on content QTI does not allow)."""
    doc = QTIDocument()
    doc.read(src=_MATH.sub(b"<span>formula</span>", xml))
    return doc.root


def outcomes(item: Any, responses: dict[str, Any]) -> dict[str, Any]:
    """The item's outcome values after one attempt with ``responses`` (others left empty).

    The attempt is begun by hand: pyslet's own begin_attempt renders HTML, which it
    cannot do for every interaction.
    """
    state = ItemSessionState(item)
    state.begin_session()
    state["numAttempts"].set_value(1)
    for declaration in item.ResponseDeclaration:
        name = declaration.identifier
        state.map[name] = Value.copy_value(state[name + ".DEFAULT"])
        if name in responses:
            state[name].set_value(responses[name])
    state.end_attempt()
    return {d.identifier: state[d.identifier].value for d in item.OutcomeDeclaration}


def correct_responses(item: Any) -> dict[str, Any]:
    """The correctResponse of every response that declares one."""
    state = ItemSessionState(item)
    return {d.identifier: state[d.identifier + ".CORRECT"].value
            for d in item.ResponseDeclaration if state[d.identifier + ".CORRECT"]}
