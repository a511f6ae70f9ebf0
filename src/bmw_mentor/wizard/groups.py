"""Questions asked together: several yes/no questions, or several lists, ticked in one list.

The checklist keeps each question (the plans, the rules and the answers files use them one by
one); only the asking is joined. "Change an answer" in the review still asks them one by one.
"""

from __future__ import annotations

from bmw_mentor.framework.schema import AnswerValue, Choice, Question, Step

SEP = "__"  # between a question id and a choice id in a joined list (ids never contain it)


def as_one(step: Step, members: list[Question]) -> Question:
    """One list question standing for ``members``."""
    gid = members[0].group or members[0].id
    spec = step.groups[gid]
    if members[0].type == "yes_no":
        choices = [Choice(id=q.id, label=q.prompt, help=q.help) for q in members]
    else:
        choices = [
            Choice(id=f"{q.id}{SEP}{c.id}", label=c.label, help=c.help, heading=q.prompt if i == 0 else None)
            for q in members
            for i, c in enumerate(q.choices)
        ]
    background = list(dict.fromkeys(t for q in members for t in q.background))
    return Question(id=f"group_{gid}", type="multi", prompt=spec.prompt, help=spec.help, choices=choices, background=background)


def joined(members: list[Question], values: dict[str, AnswerValue]) -> list[str]:
    """The members' answers as the ticks of the joined list."""
    out: list[str] = []
    for q in members:
        value = values.get(q.id)
        if q.type == "yes_no":
            if value is True:
                out.append(q.id)
        elif isinstance(value, list):
            out += [f"{q.id}{SEP}{v}" for v in value if q.choice(v) is not None]
    return out


def split(members: list[Question], ticked: list[str], before: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
    """Each member's answer from the ticks; free-text "other" entries given earlier are kept."""
    out: dict[str, AnswerValue] = {}
    for q in members:
        if q.type == "yes_no":
            out[q.id] = q.id in ticked
            continue
        picked = [t.split(SEP, 1)[1] for t in ticked if t.startswith(q.id + SEP)]
        earlier = before.get(q.id)
        others = [v for v in earlier if q.choice(v) is None] if isinstance(earlier, list) else []
        out[q.id] = picked + others
    return out
