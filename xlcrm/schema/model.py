"""The vocabulary the schema is written in: field types, fields and sheet kinds (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from enum import Enum

from .folding import fold_header, fold_name


class FieldType(str, Enum):
    """How a column's cells are read, checked and formatted."""

    TEXT = "text"
    ID = "id"
    ENUM = "enum"
    DATE = "date"
    DATETIME = "datetime"
    MONEY = "money"
    INT = "int"
    NUMBER = "number"
    SCORE = "score"
    PHONE = "phone"
    EMAIL = "email"
    PERCENT = "percent"


# Excel number formats per type (computed numeric columns may override with ``number_format``).
NUMBER_FORMATS: dict[FieldType, str] = {
    FieldType.DATE: "yyyy-mm-dd",
    FieldType.DATETIME: "yyyy-mm-dd hh:mm",
    FieldType.MONEY: "#,##0.00",
    FieldType.INT: "0",
    FieldType.NUMBER: "General",
    FieldType.SCORE: "0",
    FieldType.PERCENT: "0.0%",
    FieldType.ID: "@",
    FieldType.PHONE: "@",
}


@dataclass(frozen=True)
class Field:
    """One column of a sheet kind.

    ``computed`` columns are written by ``enrich`` only. ``fill_when_blank`` columns are typed by
    staff but completed by ``enrich`` when left blank (a staff value always wins). ``own_id`` marks
    the sheet's own ID, which ``enrich`` generates when blank. ``completion`` marks a datetime
    that ends something (解决时间, 录入日期): typed as a plain date it means the end of that day.
    ``person`` marks a text field that names exactly one person: whitespace between Chinese
    characters is folded away when read (``蒋 静`` = ``蒋静``) so one person is never counted as two.
    """

    key: str
    header: str
    type: FieldType = FieldType.TEXT
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    ref: str | None = None
    computed: bool = False
    fill_when_blank: bool = False
    own_id: bool = False
    completion: bool = False  # a completion time: date-only means the end of that day (SPEC §2)
    person: bool = False
    pattern: str | None = None
    aliases: tuple[str, ...] = ()
    number_format: str | None = None
    width: int = 12

    @property
    def excel_format(self) -> str | None:
        """The Excel number format for this column's cells, if any."""
        return self.number_format or NUMBER_FORMATS.get(self.type)

    @property
    def match_names(self) -> tuple[str, ...]:
        """Folded header names this field is recognised by (header, aliases, English key)."""
        names = [fold_header(self.header), fold_header(self.key)]
        names += [fold_header(a) for a in self.aliases]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class SheetKind:
    """One kind of sheet in the standard workbook."""

    key: str
    name: str
    fields: tuple[Field, ...]
    aliases: tuple[str, ...] = ()
    description: str = ""
    required: bool = True
    _by_key: dict[str, Field] = dc_field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({f.key: f for f in self.fields})

    def field(self, key: str) -> Field:
        """The field with English key ``key``."""
        return self._by_key[key]

    def has(self, key: str) -> bool:
        return key in self._by_key

    @property
    def input_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.computed)

    @property
    def computed_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.computed)

    @property
    def own_id(self) -> Field | None:
        return next((f for f in self.fields if f.own_id), None)

    @property
    def match_names(self) -> tuple[str, ...]:
        """Folded sheet names this kind is recognised by."""
        return tuple(dict.fromkeys(fold_name(n) for n in (self.name, self.key, *self.aliases)))
