"""Deterministic synthetic content packs for the benchmarks (stdlib + PyYAML).

`make_pack(content_dir, steps, seed)` writes a valid selfhelp content pack:
one guide with `steps` steps of realistic prose (500-800 words, 3-6 `##`
sections, lists, the odd admonition and content links), keywords, key actions
and reflection prompts; one worksheet per ten steps (every field kind,
including a group); five situations, three pages and a home page.

The prose comes from sentence templates filled from word lists with a seeded
`random.Random`, so the same seed gives byte-identical files, and no two steps
read alike (no repeated lorem ipsum).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

GUIDE_ID = "bouncing-back"

PEOPLE = [
    "your manager", "a trusted colleague", "a friend outside work", "your partner", "a former boss",
    "a mentor", "someone in HR", "a career coach", "a counsellor", "an old teammate", "your family",
    "a neighbour who has been through it", "the recruiter", "a peer in another team", "your union rep",
    "a sibling", "a friend from college", "the person who interviewed you",
]
FEELINGS = [
    "anger", "shame", "relief", "fear", "sadness", "frustration", "disappointment", "worry",
    "embarrassment", "numbness", "guilt", "restlessness", "hope", "self-doubt", "loneliness", "envy",
]
EVENTS = [
    "the layoff", "the missed promotion", "the failed project", "the hard review", "the rejection",
    "the restructure", "the cancelled launch", "the lost client", "the interview that went badly",
    "the reorganisation", "the budget cut", "the performance plan", "the redundancy", "the demotion",
    "the contract that was not renewed", "the pitch that fell through",
]
ACTIVITIES = [
    "a short walk", "a phone call to someone you like", "ten minutes of writing", "a coffee with a friend",
    "an early night", "a list of small tasks", "a quiet lunch away from your desk", "a look at your calendar",
    "a chat with your manager", "a read through your old notes", "a bike ride", "a tidy desk",
    "an hour offline", "a cooked meal", "a swim", "a message to an old colleague", "a page in a notebook",
    "a breathing exercise", "a free online course", "a visit to the library",
]
THINGS = [
    "your notes", "the feedback", "your calendar", "your CV", "a plan for the week", "your savings",
    "your contacts", "the facts", "your strengths", "your next step", "the job description", "your goals",
    "a list of lessons", "your daily routine", "your budget", "your portfolio", "the timeline",
    "your to-do list", "your references", "the options in front of you", "your skills", "your sleep",
    "your weekly plan", "the questions you still have",
]
TIMES = [
    "this week", "before Friday", "tomorrow morning", "over the next few days", "at the end of each day",
    "once a week", "after the first shock has passed", "when you feel calmer", "in the next month",
    "today", "on Sunday evening", "before your next meeting", "at lunchtime", "after a good night's sleep",
]
PAST_TIMES = ["a week ago", "last month", "right after it happened", "at the start of the year", "yesterday"]
ADVERBS = [
    "slowly", "honestly", "calmly", "gently", "carefully", "briefly", "regularly", "quietly", "patiently",
    "plainly", "openly", "kindly",
]
ADJECTIVES = ["patient", "kind", "honest", "gentle", "fair", "realistic", "curious", "generous"]
VERBS = [
    "write down", "look at", "talk through", "share", "review", "sort", "list", "plan", "notice",
    "name", "put aside", "return to", "check", "track", "reread", "ask about", "note", "schedule",
    "simplify", "question", "update", "celebrate",
]

SENTENCES = [
    "{Time}, {verb} {thing} {adverb}.",
    "Many people feel {feeling} after {event}, and that is normal.",
    "It can help to {verb} {thing} with {person}.",
    "If {event} still feels raw, start with {activity}.",
    "You do not have to {verb} {thing} all at once.",
    "{Person} may see {thing} differently from you, which is useful to know.",
    "Try {activity} {time}, then notice how you feel.",
    "What would {person} say about {thing}?",
    "Keep {thing} somewhere you can find it {time}.",
    "Some days {feeling} will come back without warning; that does not mean you are going backwards.",
    "A small step, such as {activity}, is often easier than a big plan.",
    "When {feeling} gets loud, {verb} what you know for certain.",
    "Ask {person} one specific question about {thing}.",
    "Be {adjective} with yourself while you {verb} {thing}.",
    "There is no right order: {verb} {thing} first if that feels easier.",
    "Notice whether {thing} leaves you with {feeling} or {feeling2}.",
    "People who have been through {event} often say that {activity} helped more than they expected.",
    "{Time}, set aside time for {activity}.",
    "Write one sentence about {thing}, then stop for the day.",
    "It is fine to feel {feeling} and {feeling2} on the same day.",
    "Look for one thing in {thing} that you can change {time}.",
    "Your worth is not decided by {event}.",
    "{Person} cannot undo {event}, but they can listen.",
    "If you notice {feeling} turning into {feeling2}, pause and {verb} {thing}.",
    "Plans change, so {verb} {thing} again {time}.",
    "Give yourself credit for {activity}, however small it seems.",
    "Think about what {event} has taught you about {thing}.",
    "A note on your phone is enough to {verb} {thing}.",
    "Compare {thing} with how things looked {past}.",
    "Nobody expects you to have {thing} sorted {time}.",
    "Most setbacks feel bigger in the first days than they do a month later.",
    "If {person} offers help, say which kind of help you would like.",
    "The aim is progress you can see, not a perfect record.",
    "Try to {verb} {thing} without judging it yet.",
    "Once you {verb} {thing}, the next step usually becomes clearer.",
    "You might find that {feeling} eases after {activity}.",
    "Small, regular efforts add up faster than a single burst of energy.",
    "If you are not sure where to begin, {verb} {thing} and leave the rest until later.",
]
BULLETS = [
    "{Verb} {thing} {time}.",
    "Ask {person} about {thing}.",
    "Plan {activity} {time}.",
    "Notice when {feeling} shows up, and what came just before it.",
    "Keep {thing} short: a few lines is enough.",
    "{Verb} one part of {thing}, not all of it.",
    "Tell {person} what you need from them.",
]
QUESTIONS = [
    "What would {person} say about {thing}?",
    "When did you last feel {feeling}, and what helped?",
    "What part of {event} was in your control?",
    "Which small step could you take {time}?",
    "What do you want to remember about {thing}?",
    "Who could help you {verb} {thing}?",
    "What would change if you stopped blaming yourself for {event}?",
    "How will you know that things are getting better with {thing}?",
    "When will you {verb} {thing}?",
]
HEADINGS = [
    "Why this matters", "Where to start", "When it feels too much", "A small first step", "Talking to {person}",
    "What to expect", "If you feel {feeling}", "Making it a habit", "Looking back on {event}", "Common worries",
    "What others found helpful", "Keeping track", "When to ask for help", "Next steps", "A word about {feeling}",
    "Getting the timing right", "On a bad day", "What good looks like",
]
ADMONITIONS = [("tip", "A quick idea"), ("note", "Worth knowing"), ("warning", "Look after yourself"), ("tip", "If you only have five minutes")]

TITLE_VERBS = [
    "Notice", "Name", "Plan", "Review", "Talk about", "Write down", "Look after", "Rebuild", "Protect", "Share",
    "Celebrate", "Question", "Accept", "Rethink", "Track", "Prepare for", "Let go of", "Make room for",
    "Learn from", "Explain", "Simplify", "Organise", "Update", "Pace", "Reconnect with", "Sort out",
    "Take stock of", "Strengthen", "Care for", "Return to", "Ask about", "Plan around", "Trust", "Measure",
    "Practise", "Revisit", "Map out", "Put words to", "Settle", "Steady",
]
TITLE_TOPICS = [
    "your feelings", "the first week", "your money worries", "the news at home", "your sleep", "your CV",
    "the feedback you got", "your next interview", "what you did well", "your daily routine", "your network",
    "your energy", "your confidence", "the hard conversations", "your strengths", "your goals", "your weekends",
    "the people who support you", "your learning", "your health", "your job search", "your references",
    "your story", "the rejections", "your boundaries", "your expectations", "the lessons", "your options",
    "your inner critic", "your plans", "your time", "your budget", "the next month", "your values",
    "your progress", "your setbacks", "your reputation", "your skills", "the unknowns", "your wins",
    "your patience", "your habits", "your workspace", "your portfolio", "your mornings", "your evenings",
    "your worries", "the facts", "your priorities", "your recovery", "your questions", "your contacts",
    "your ambitions", "your team", "your notes", "your mistakes", "your choices", "your limits",
    "your decisions", "your next role",
]
KEYWORDS = [
    "laid off", "redundancy", "fired", "let go", "missed promotion", "passed over", "bad review", "feedback",
    "failed project", "rejection", "job search", "interview", "CV", "resume", "confidence", "stress",
    "anxiety", "sleep", "money worries", "budget", "networking", "mentor", "manager", "HR", "self-doubt",
    "shame", "anger", "burnout", "motivation", "routine", "habits", "goals", "plan", "next steps",
    "lessons learned", "what went wrong", "resilience", "self-compassion", "support", "friends", "family",
    "career change", "retraining", "skills", "learning", "portfolio", "references", "severance",
    "notice period", "restructure", "reorganisation", "performance review", "imposter syndrome",
    "overthinking", "can't sleep", "what now", "start again", "bounce back", "small wins", "progress",
    "wellbeing", "exercise", "talk to someone", "counselling", "EAP", "time off", "boundaries",
]
WORKSHEET_A = [
    "Weekly", "Daily", "First-week", "Money", "Feedback", "Support", "Lessons", "Energy", "Job search",
    "Confidence", "Sleep", "Strengths", "Values", "Habit", "Progress",
]
WORKSHEET_B = ["check-in", "planner", "log", "map", "journal", "tracker", "inventory", "review", "plan", "diary"]
SITUATIONS = [
    ("job-loss", "I've lost my job", "When you've been laid off, made redundant or let go."),
    ("not-promoted", "I didn't get promoted", "When someone else got the role you wanted."),
    ("failed-project", "A project I worked on failed", "When months of work did not land."),
    ("bad-review", "I got a bad review", "When feedback hurt more than you expected."),
    ("missed-chance", "I missed an opportunity", "When the job, the client or the chance went elsewhere."),
]
PAGES = [
    ("quick-guide", "Quick guide", "Every step on one page, to read or print.", 1),
    ("about-setbacks", "About setbacks", "What a career setback is, and why it hurts.", 2),
    ("using-this-site", "Using this site", "How the guide, the situations and the worksheets fit together.", 3),
]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Prose:
    """Sentence, paragraph and section generator over the word lists above."""

    def __init__(self, rng: random.Random, links: list[tuple[str, str, str]] | None = None) -> None:
        self.rng = rng
        self.links = links or []
        """(kind, id, label) candidates for content links in the prose."""

    def _fill(self, template: str) -> str:
        r = self.rng
        feeling, feeling2 = r.sample(FEELINGS, 2)
        values = {
            "time": r.choice(TIMES), "verb": r.choice(VERBS), "thing": r.choice(THINGS), "adverb": r.choice(ADVERBS),
            "feeling": feeling, "feeling2": feeling2, "event": r.choice(EVENTS), "person": r.choice(PEOPLE),
            "activity": r.choice(ACTIVITIES), "adjective": r.choice(ADJECTIVES), "past": r.choice(PAST_TIMES),
        }
        for key in ("time", "verb", "person"):
            values[key.capitalize()] = values[key][0].upper() + values[key][1:]
        return template.format(**values)

    def sentence(self) -> str:
        text = self._fill(self.rng.choice(SENTENCES))
        if self.rng.random() < 0.06:  # Bold a short phrase now and then.
            words = text.rstrip(".?").split()
            if len(words) > 5:
                start = self.rng.randrange(0, len(words) - 3)
                words[start] = "**" + words[start]
                words[start + 2] = words[start + 2] + "**"
                text = " ".join(words) + text[-1]
        return text

    def link_sentence(self) -> str:
        kind, item_id, label = self.rng.choice(self.links)
        return self.rng.choice(
            [
                f"See [{label}]({kind}:{item_id}) for more on this.",
                f"If this is hard, [{label}]({kind}:{item_id}) may help first.",
                f"You can also use [{label}]({kind}:{item_id}).",
            ]
        )

    def paragraph(self, low: int = 3, high: int = 6) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(low, high))]
        if self.links and self.rng.random() < 0.15:
            sentences.append(self.link_sentence())
        return " ".join(sentences)

    def bullets(self) -> str:
        return "\n".join("- " + self._fill(self.rng.choice(BULLETS)) for _ in range(self.rng.randint(3, 5)))

    def admonition(self) -> str:
        kind, title = self.rng.choice(ADMONITIONS)
        return f'!!! {kind} "{title}"\n    ' + " ".join(self.sentence() for _ in range(self.rng.randint(1, 2)))

    def heading(self, used: set[str]) -> str:
        for _ in range(20):
            text = self._fill(self.rng.choice(HEADINGS))
            if text not in used:
                used.add(text)
                return text
        return text

    def body(self, words: int, sections: int) -> str:
        """Markdown of about `words` words in `sections` `##` sections."""
        parts: list[str] = []
        used: set[str] = set()
        total = 0
        for index in range(sections):
            blocks = [f"## {self.heading(used)}"]
            count = 0
            goal = words * (index + 1) / sections - total  # Cumulative goals keep the total near `words`.
            while count == 0 or count < goal - 35:
                roll = self.rng.random()
                if roll < 0.15 and count:
                    block = self.bullets()
                elif roll < 0.2 and count:
                    block = self.admonition()
                else:
                    block = self.paragraph()
                blocks.append(block)
                count += len(block.split())
            total += count
            parts.append("\n\n".join(blocks))
        return "\n\n".join(parts) + "\n"

    def question(self) -> str:
        return self._fill(self.rng.choice(QUESTIONS))

    def action(self) -> str:
        return self._fill(self.rng.choice(BULLETS))


def _front_matter(meta: dict, body: str) -> str:
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return f"---\n{dumped}---\n\n{body}"


def _step_titles(rng: random.Random, count: int) -> list[str]:
    combos = [f"{verb} {topic}" for verb in TITLE_VERBS for topic in TITLE_TOPICS]
    if count > len(combos):
        raise ValueError(f"at most {len(combos)} steps")
    rng.shuffle(combos)
    return combos[:count]


def _worksheet(rng: random.Random, worksheet_id: str, title: str, prose: Prose) -> dict:
    """A worksheet with every field kind, including a group of 2-4 sub-fields."""
    counter = iter(range(1, 1000))

    def field_id(label: str) -> str:
        return f"{slug(label)[:24].strip('-')}-{next(counter)}"

    def make_field(kind: str) -> dict:
        if kind == "date":
            label = prose._fill("When will you {verb} {thing}?")
        elif kind in ("checkbox", "checklist"):
            label = prose.action()
        else:
            label = prose.question()
        field: dict = {"id": field_id(label), "kind": kind, "label": label}
        if kind == "textarea":
            field["lines"] = rng.randint(3, 8)
            if rng.random() < 0.5:
                field["help"] = "A few lines is plenty; you can come back to it."
        elif kind == "text" and rng.random() < 0.3:
            field["lines"] = 2
        elif kind in ("choice", "checklist"):
            field["options"] = rng.sample(
                ["Not at all", "A little", "Somewhat", "Mostly", "Completely", "Not sure", "Rest", "Job search",
                 "Learning", "People", "Money", "Health", "A friend", "My manager", "A mentor", "A counsellor"],
                rng.randint(3, 6),
            )
        elif kind == "scale":
            field["min"], field["max"] = 0, rng.choice([5, 10])
            field["min_label"], field["max_label"] = rng.choice(
                [("Very low", "Very good"), ("Not at all", "Completely"), ("Exhausted", "Full of energy")]
            )
        return field

    kinds = ["text", "textarea", "choice", "checklist", "scale", "date", "checkbox"]
    rng.shuffle(kinds)
    section_count = rng.randint(2, 3)
    sections = []
    for index in range(section_count):
        share = kinds[index::section_count]
        fields = [make_field(kind) for kind in share]
        if index == section_count - 1:
            sub_kinds = rng.sample(["text", "date", "checkbox", "textarea", "scale", "choice"], rng.randint(2, 4))
            fields.append(
                {
                    "id": field_id("entries"),
                    "kind": "group",
                    "label": rng.choice(["Things to do", "People to contact", "Days to log", "Ideas to try"]),
                    "item_label": rng.choice(["Action", "Person", "Day", "Idea"]),
                    "rows": rng.randint(2, 6),
                    "fields": [make_field(kind) for kind in sub_kinds],
                }
            )
        sections.append(
            {
                "id": f"part-{index + 1}",
                "title": prose.heading(set()),
                **({"intro": prose.sentence()} if rng.random() < 0.6 else {}),
                "fields": fields,
            }
        )
    return {
        "id": worksheet_id,
        "version": rng.randint(1, 3),
        "title": title,
        "purpose": prose.sentence(),
        "time_needed": rng.choice(["5 minutes", "10 minutes", "15 minutes", "20 minutes", "5 minutes a day"]),
        "instructions": prose.paragraph(1, 3) + "\n",
        "sections": sections,
    }


def make_pack(content_dir: Path, steps: int, seed: int = 1) -> dict[str, int]:
    """Write a content pack with `steps` steps into `content_dir`; returns counts of what it wrote."""
    rng = random.Random(f"selfhelp-bench-{seed}-{steps}")
    content_dir = Path(content_dir)
    guide_dir = content_dir / "guides" / GUIDE_ID
    for folder in (guide_dir, content_dir / "pages", content_dir / "situations", content_dir / "worksheets"):
        folder.mkdir(parents=True, exist_ok=True)

    titles = _step_titles(rng, steps)
    step_ids = [slug(t) for t in titles]
    worksheet_count = max(1, steps // 10)
    ws_titles = [f"{a} {b}" for a in WORKSHEET_A for b in WORKSHEET_B]
    rng.shuffle(ws_titles)
    ws_titles = ws_titles[:worksheet_count]
    ws_ids = [slug(t) for t in ws_titles]
    links = [("step", sid, t[0].lower() + t[1:]) for sid, t in zip(step_ids, titles)]
    links += [("worksheet", wid, f"the {t.lower()} worksheet") for wid, t in zip(ws_ids, ws_titles)]
    links += [("situation", sid, title[0].lower() + title[1:]) for sid, title, _ in SITUATIONS]
    words = 0

    for index, (step_id, title) in enumerate(zip(step_ids, titles)):
        prose = Prose(random.Random(f"step-{seed}-{index}"), links)
        r = prose.rng
        meta = {
            "title": title,
            "summary": f"{prose.sentence()}",
            "keywords": r.sample(KEYWORDS, r.randint(5, 15)),
            "key_actions": [prose.action() for _ in range(r.randint(3, 6))],
            "reflection_prompts": [prose.question() for _ in range(r.randint(2, 5))],
        }
        if r.random() < 0.9:
            meta["worksheets"] = [ws_ids[min(index // 10, worksheet_count - 1)]]
        body = prose.body(r.randint(500, 800), r.randint(3, 6))
        words += len(body.split())
        (guide_dir / f"{step_id}.md").write_text(_front_matter(meta, body), encoding="utf-8")

    prose = Prose(random.Random(f"guide-{seed}"), links)
    guide_meta = {
        "title": "Bouncing back from a career setback",
        "summary": f"{steps} short steps to help you through a setback at work.",
        "audience": "Anyone who has been laid off, passed over or hit by a failed project or a hard review.",
        "steps": step_ids,
        "keywords": ["guide", "all steps", "start here"],
    }
    (guide_dir / "index.md").write_text(_front_matter(guide_meta, prose.body(250, 2)), encoding="utf-8")

    for index, (worksheet_id, title) in enumerate(zip(ws_ids, ws_titles)):
        wrng = random.Random(f"worksheet-{seed}-{index}")
        data = _worksheet(wrng, worksheet_id, title, Prose(wrng))
        (content_dir / "worksheets" / f"{worksheet_id}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
        )

    for index, (situation_id, title, summary) in enumerate(SITUATIONS):
        prose = Prose(random.Random(f"situation-{seed}-{index}"), links)
        r = prose.rng
        meta = {
            "title": title,
            "summary": summary,
            "keywords": r.sample(KEYWORDS, 10),
            "steps": r.sample(step_ids, min(len(step_ids), r.randint(4, 7))),
            "worksheets": r.sample(ws_ids, min(len(ws_ids), r.randint(1, 3))),
        }
        (content_dir / "situations" / f"{situation_id}.md").write_text(
            _front_matter(meta, prose.body(350, 3)), encoding="utf-8"
        )

    for index, (page_id, title, summary, order) in enumerate(PAGES):
        prose = Prose(random.Random(f"page-{seed}-{index}"), links)
        body = prose.body(300, 2)
        if page_id == "quick-guide":
            body += "\n## The steps\n\n" + "\n".join(
                f"{n}. **[{t}](step:{sid}).** {prose.sentence()}"
                for n, (sid, t) in enumerate(zip(step_ids[:10], titles[:10]), start=1)
            ) + "\n"
        meta = {"title": title, "summary": summary, "keywords": [title.lower()], "order": order}
        (content_dir / "pages" / f"{page_id}.md").write_text(_front_matter(meta, body), encoding="utf-8")

    prose = Prose(random.Random(f"home-{seed}"), links)
    home = (
        f"Start with [the guide](guide:{GUIDE_ID}) or with [what happened to you](situation:{SITUATIONS[0][0]}).\n\n"
        + prose.body(200, 2)
    )
    (content_dir / "index.md").write_text(
        _front_matter({"title": "Bouncing back", "summary": "Practical help after a setback at work."}, home),
        encoding="utf-8",
    )
    return {
        "steps": steps,
        "worksheets": worksheet_count,
        "situations": len(SITUATIONS),
        "pages": len(PAGES),
        "step_words": words,
    }
