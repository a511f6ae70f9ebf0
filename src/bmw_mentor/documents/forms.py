"""The forms: agreement, reflection and evaluation forms, with their fields."""

from __future__ import annotations

from bmw_mentor.documents.builder import Builder, lower_first, number_text, unanswered
from bmw_mentor.documents.context import Document, Form, FormPart, Value
from bmw_mentor.documents.spec import FormSpec


def build(b: Builder) -> Document:
    b.doc = "forms"
    forms = []
    for f in b.spec.forms:
        title = b.t(f.title)
        if b.conditions(f.when, title) is not True:
            continue
        form = Form(
            id=f"form-{f.id.replace('_', '-')}",
            kind=f.kind,
            title=title,
            intro=b.t(f.intro),
            header=[b.t(h) for h in f.header],
            ticks=b.labels(f.tick_answer) if f.tick_answer else [],
            fields=_fields(b, f),
        )
        if f.kind == "agreement":
            _agreement(b, f, form)
        forms.append(form)
    return Document(id="forms", title=b.s["doc_forms"], intro=b.s["forms_intro"], forms=forms)


def _fields(b: Builder, f: FormSpec) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    if f.fields_from is not None:
        value = b.answer(f.fields_from.answer)
        for choice in value if isinstance(value, list) else []:
            text = f.fields_from.labels.get(choice)
            out.append((b.t(text) if text else choice, 2))
    for fld in f.fields:
        label = b.t(fld.label)
        if b.conditions(fld.when, label) is True:
            out.append((label, fld.lines))
    return out


def _agreement(b: Builder, f: FormSpec, form: Form) -> None:
    for part in f.parts:
        if not b.applies(part.answer):
            continue
        title = b.t(part.title)
        if b.answer(part.answer) == []:
            continue
        if unanswered(b.answer(part.answer)):
            form.parts.append(FormPart(title, part.style, Value(todo=b.todo(title, part.answer))))
        else:
            form.parts.append(FormPart(title, part.style, Value(items=b.labels(part.answer))))
    if f.practical is not None:
        form.practical_title = b.t(f.practical.title)
        for p in f.practical.items:
            value = b.answer(p.answer)
            if unanswered(value) or not b.applies(p.answer):
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                shown = number_text(value, b.lang)
            else:
                shown = lower_first(b.choice_label(p.answer, str(value)))
            form.practical.append(b.t(p.text, value=shown))
    conf = f.confidentiality
    if conf is not None and b.applies(conf.answer):
        form.confidentiality_title = b.t(conf.title)
        value = b.answer(conf.answer)
        if value is None:
            form.confidentiality = Value(todo=b.todo(form.confidentiality_title, conf.answer))
        elif value is True:
            form.confidentiality = Value(text=b.t(conf.text))
    form.signatures = [b.t(s.label) for s in f.signatures if b.conditions(s.when, b.t(s.label)) is True]

