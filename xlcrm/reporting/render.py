"""Render one report context into Markdown and/or Word files, with its charts (SPEC §6).

``render_job`` is what a worker process runs: it takes a plain, picklable ``RenderJob`` and
returns one ``Outcome`` per file, never raising, so one broken report cannot stop a batch.

Staff text is data, never template: Jinja inserts values without evaluating them, the Markdown
environment escapes every output (``markdown.finalize``), and for Word the text is XML-escaped
with its braces written as character references, so neither Jinja nor docxtpl's post-processing
can ever see a ``{{`` in it. Templates run in Jinja's sandbox: a team-edited template can format
data but not reach into Python.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from .appendix import appendix_bytes, capped_lists
from .filenames import safe_filename
from .markdown import finalize, image, md_cell, md_text

CHART_WIDTH_MM = 140
CHART_FOLDER_SUFFIX = "_图表"
APPENDIX_SUFFIX = "_清单.xlsx"
_NOT_WORD = re.compile(r"[^\w\-]+")  # chart file names: no %, brackets or spaces in a link
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


@dataclass(frozen=True)
class Output:
    """One report file to produce: format (``md`` / ``docx``), its path, template path. With a
    job that does not ``write``, ``target`` is just the file name."""

    fmt: str
    target: Path
    template: Path


@dataclass(frozen=True)
class RenderJob:
    """A report: its context and the files to produce from it; ``write`` puts them beside each
    output's ``target``, otherwise they come back as bytes."""

    context: dict[str, Any]
    outputs: tuple[Output, ...]
    write: bool = True


@dataclass(frozen=True)
class Outcome:
    """What happened to one output: done (``ok``) or failed with ``message``. ``files`` are the
    files written for it (report, chart images, appendix), ``documents`` the same as bytes by their
    name relative to the output folder when the job does not write."""

    path: Path
    ok: bool
    message: str = ""
    files: tuple[Path, ...] = ()
    documents: dict[str, bytes] = field(default_factory=dict)


# --- charts -----------------------------------------------------------------------------------
_PNG_CACHE: dict[str, bytes] = {}
_PNG_CACHE_SIZE = 256


def chart_png(spec: dict[str, Any]) -> bytes:
    """The PNG of one chart spec from a context (``type`` bar / grouped / pie / line / percent).

    A chart is a pure function of its spec, and in a batch many reports draw the same chart (the
    same counts, the same title), so each process keeps the PNGs of recent specs."""
    key = chart_key(spec)
    png = _PNG_CACHE.get(key)
    if png is None:
        if len(_PNG_CACHE) >= _PNG_CACHE_SIZE:
            _PNG_CACHE.clear()
        png = _PNG_CACHE[key] = _draw_chart(spec)
    return png


def chart_key(spec: dict[str, Any]) -> str:
    """What identifies a chart: its whole spec (key order kept: series order matters)."""
    return json.dumps(spec, ensure_ascii=False, default=repr)


def _draw_chart(spec: dict[str, Any]) -> bytes:
    from . import charts  # matplotlib is imported where charts are drawn: in the workers with --jobs N

    kind, title = spec["type"], spec["title"]
    if kind == "grouped":
        return charts.grouped_bar_chart(title, spec["labels"], spec["series"], spec.get("ylabel", ""))
    if kind == "pie":
        return charts.pie_chart(title, spec["labels"], spec["values"])
    if kind == "percent":
        return charts.percent_chart(title, spec["labels"], spec["series"])
    if kind == "line":
        return charts.line_chart(title, spec["labels"], spec["values"], spec.get("ylabel", ""))
    return charts.bar_chart(title, spec["labels"], spec["values"], spec.get("ylabel", ""))


def chart_images(context: dict[str, Any]) -> dict[str, tuple[str, str, bytes | None]]:
    """Per chart key: (title, file name, PNG bytes); file names are numbered in context order.
    An ``empty`` chart is not drawn: its bytes are None and the report says 暂无数据."""
    result: dict[str, tuple[str, str, bytes | None]] = {}
    for index, (key, spec) in enumerate(context.get("charts", {}).items(), start=1):
        name = f"{index:02d}_{safe_filename(_NOT_WORD.sub('', spec['title']), 60)}.png"
        result[key] = (spec["title"], name, None if spec.get("empty") else chart_png(spec))
    return result


def no_chart(title: str) -> str:
    """What a report prints instead of an empty chart."""
    return f"{title}：暂无数据"


# --- files ------------------------------------------------------------------------------------
def file_mode() -> int:
    """The mode of a file the user creates (0o666 minus the umask): ``mkstemp`` alone gives 0600,
    which colleagues on a shared folder could not open."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then replace: never a half file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".xlcrm-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, file_mode())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def chart_width_mm(spec: dict[str, Any]) -> float:
    """Width of a chart in the Word report: pies and short bar charts narrower than the text."""
    if spec.get("type") == "pie":
        return CHART_WIDTH_MM * 0.7
    if spec.get("type") == "bar" and len(spec.get("labels", ())) <= 4:
        return CHART_WIDTH_MM * 0.75
    return CHART_WIDTH_MM


def chart_folder(target: Path) -> Path:
    """``<report name>_图表/`` beside a Markdown report."""
    return target.with_name(target.stem + CHART_FOLDER_SUFFIX)


# --- Markdown ---------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def markdown_environment(folder: Path) -> SandboxedEnvironment:
    """The Markdown environment of a template folder, one per process: a batch compiles each
    template once (Jinja caches compiled templates per environment)."""
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(folder)),
        autoescape=False,
        finalize=finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_text
    env.filters["cell"] = md_cell
    return env


def markdown_files(
    context: dict[str, Any], template: Path, name: str, images: dict[str, tuple[str, str, bytes | None]]
) -> dict[str, bytes]:
    """The Markdown report ``name`` and its charts (``<name>_图表/*.png``, linked relatively), by
    file name relative to the output folder; the report itself last."""
    folder = chart_folder(Path(name)).name
    files: dict[str, bytes] = {}
    links: dict[str, Any] = {}
    for key, (title, image_name, png) in images.items():
        if png is None:
            links[key] = md_cell(no_chart(title))
            continue
        files[f"{folder}/{image_name}"] = png
        links[key] = image(title, f"{folder}/{image_name}")
    env = markdown_environment(template.parent)
    files[name] = env.get_template(template.name).render(**context, img=links).encode("utf-8")
    return files


# --- Word -------------------------------------------------------------------------------------
def docx_text(value: Any) -> Any:
    """Context values for Word: strings XML-escaped with braces as character references, XML-invalid
    control characters dropped (line breaks and tabs stay: docxtpl turns them into breaks)."""
    if isinstance(value, str):
        clean = _XML_INVALID.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return Markup(str(escape(clean)).replace("{", "&#123;").replace("}", "&#125;"))
    if isinstance(value, dict):
        return {k: docx_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [docx_text(v) for v in value]
    return value


class _CompilingOnceEnvironment(SandboxedEnvironment):
    """docxtpl compiles the XML of every part of every report with ``from_string``; in a batch the
    XML is the same for each report of a kind, so compile it once per process."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) > 64:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


_PATCHED: dict[str, str] = {}


def _docx_template_class() -> type:
    """docxtpl's ``DocxTemplate`` whose XML clean-up (a few dozen regular expressions over each
    part, the same for every report of a kind) runs once per process."""
    from docxtpl import DocxTemplate

    class CachedDocxTemplate(DocxTemplate):  # type: ignore[misc]
        def patch_xml(self, src_xml: str) -> str:
            patched = _PATCHED.get(src_xml)
            if patched is None:
                if len(_PATCHED) > 64:
                    _PATCHED.clear()
                patched = _PATCHED[src_xml] = super().patch_xml(src_xml)
            return patched

    return CachedDocxTemplate


@lru_cache(maxsize=1)
def docx_environment() -> SandboxedEnvironment:
    """The sandboxed Jinja environment of Word templates (one per process)."""
    return _CompilingOnceEnvironment(undefined=StrictUndefined, autoescape=True)


def docx_files(
    context: dict[str, Any], template: Path, name: str, images: dict[str, tuple[str, str, bytes | None]]
) -> dict[str, bytes]:
    """The Word report ``name`` with the charts embedded (InlineImage, 15 cm wide) and, when a list
    is too long for the page, its appendix ``<name>_清单.xlsx``; the report itself last."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    doc = _template_class()(str(template))
    specs = context.get("charts", {})
    pictures = {
        key: InlineImage(doc, io.BytesIO(png), width=Mm(chart_width_mm(specs.get(key, {}))))
        if png is not None
        else docx_text(no_chart(title))
        for key, (title, _, png) in images.items()
    }
    data = docx_text({k: v for k, v in context.items() if k != "charts"})
    data["full_list"] = docx_text(full_list_hint(Path(name)))
    files: dict[str, bytes] = {}
    lists = list(capped_lists(context))
    if lists:
        files[appendix_path(Path(name)).name] = appendix_bytes(lists)
    doc.render({**data, "img": pictures}, docx_environment(), autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    files[name] = buffer.getvalue()
    return files


def appendix_path(target: Path) -> Path:
    """``<report name>_清单.xlsx`` beside a Word report: the long lists in full."""
    return target.with_name(target.stem + APPENDIX_SUFFIX)


def full_list_hint(target: Path) -> str:
    """Where the complete lists of a Word report are (the Markdown report lists them all too)."""
    return f"附件 {appendix_path(target).name}（Markdown 版报告也列出全部）"


_template_class = lru_cache(maxsize=1)(_docx_template_class)

RENDERERS = {"md": markdown_files, "docx": docx_files}


def warm_up(templates: tuple[tuple[str, Path], ...] = ()) -> None:
    """Import the chart and Word libraries, register the font and compile the batch's templates
    (run first in each worker, while the main process still reads the workbooks)."""
    import docxtpl  # noqa: F401

    chart_png({"type": "bar", "title": "预热", "labels": ["A"], "values": [1]})
    for fmt, template in templates:
        try:
            if fmt == "md":
                markdown_environment(template.parent).get_template(template.name)
            else:
                _compile_docx_body(template)
        except Exception:  # noqa: BLE001, S112 - a broken template is reported by the report that uses it
            continue


def _compile_docx_body(template: Path) -> None:
    """What docxtpl does first with a Word template's body (clean-up, then compile), done ahead so
    the caches above already hold it; its ``render_xml_part`` puts each paragraph on a new line."""
    doc = _template_class()(str(template))
    doc.render_init()
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", doc.patch_xml(doc.get_xml()))
    docx_environment().from_string(xml)


def render_job(job: RenderJob) -> list[Outcome]:
    """Render every output of ``job``; failures become ``Outcome(ok=False)`` with the reason."""
    try:
        images = chart_images(job.context)
    except Exception as exc:  # noqa: BLE001 - a chart problem fails this report, not the batch
        return [Outcome(o.target, False, f"图表生成失败：{type(exc).__name__}: {exc}") for o in job.outputs]
    outcomes = []
    for output in job.outputs:
        try:
            files = RENDERERS[output.fmt](job.context, output.template, output.target.name, images)
            if job.write:
                outcomes.append(Outcome(output.target, True, files=write_files(output.target.parent, files)))
            else:
                outcomes.append(Outcome(output.target, True, documents=files))
        except Exception as exc:  # noqa: BLE001 - e.g. a broken team template
            outcomes.append(Outcome(output.target, False, f"{type(exc).__name__}: {exc}"))
    return outcomes


def render_jobs(jobs: list[RenderJob]) -> list[list[Outcome]]:
    """``render_job`` of each job in turn, in one worker (reports that share charts draw them once)."""
    return [render_job(job) for job in jobs]


def write_files(folder: Path, files: dict[str, bytes]) -> tuple[Path, ...]:
    """Write ``files`` (names relative to ``folder``) in order, each one atomically."""
    written = []
    for name, data in files.items():
        target = folder / name
        _atomic_write(target, partial(Path.write_bytes, data=data))
        written.append(target)
    return tuple(written)
