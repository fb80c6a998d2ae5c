"""The PNG plots of a run (matplotlib: ``pip install 'mpgrade[bench]'``)."""

from __future__ import annotations

from pathlib import Path

from .model import Results, Single
from .report import TARGETS, WAYS, find

NEW, OLD = "#1f77b4", "#b0b0b0"
WAY_STYLE = {
    "grade -j 1": ("#1f77b4", "o"),
    "grade -j 2": ("#2ca02c", "s"),
    "pytest loop": ("#d62728", "^"),
    "nbgrader autograde": ("#9467bd", "D"),
}


def write(results: Results, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    written = []
    if results.singles:
        written += [per_exercise(results, out / "per-exercise.png"), overhead(results, out / "overhead.png")]
    if results.classes:
        written.append(class_size(results, out / "class-size.png"))
    return written


def _bars(axis, results: Results, submission: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """Grouped bars, new against old, per target: the median, whiskers from min to max."""
    width = 0.38
    for offset, grader, color in ((-width / 2, "new", NEW), (width / 2, "old", OLD)):
        medians, low, high = [], [], []
        for target in TARGETS:
            found: Single | None = find(
                results.singles, grader=grader, python="kit", target=target, submission=submission, start_method="all"
            )
            spread = getattr(found, value, None) if found is not None else None
            medians.append(spread.median if spread else 0.0)
            low.append(spread.median - spread.minimum if spread else 0.0)
            high.append(spread.maximum - spread.median if spread else 0.0)
        positions = [i + offset for i in range(len(TARGETS))]
        label = "new kit" if grader == "new" else "old kit (a715309)"
        axis.bar(positions, medians, width, yerr=[low, high], capsize=3, color=color, label=label, zorder=2)
        unit = "×" if value == "overhead" else ""
        for x, median, above in zip(positions, medians, high, strict=True):
            if median:  # the median, just above the whisker's top
                axis.annotate(f"{median:.2f}{unit}", (x, median + above), xytext=(0, 3), textcoords="offset points",
                              ha="center", va="bottom", fontsize=7, rotation=90)  # fmt: skip
    axis.set_xticks(range(len(TARGETS)), [f"grade {t}" for t in TARGETS])
    axis.spines[["top", "right"]].set_visible(False)


def per_exercise(results: Results, path: Path) -> Path:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    for axis, submission, title in (
        (axes[0], "solutions", "reference solutions"),
        (axes[1], "stubs", "untouched stubs"),
    ):
        _bars(axis, results, submission, "wall")
        axis.set_title(f"grade on {title}")
        axis.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("wall time (s): median, min–max")
    axes[0].set_ylim(0, axes[0].get_ylim()[1] * 1.15)
    axes[0].legend(loc="upper left")
    figure.suptitle(f"Time per exercise, every start method (median of {results.repeat})")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def overhead(results: Results, path: Path) -> Path:
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 4.5))
    _bars(axis, results, "solutions", "overhead")
    axis.axhline(1.0, color="black", linewidth=0.8, zorder=1)
    axis.axhline(1.25, color="#d62728", linewidth=0.8, linestyle="--", label="aim: 1.25×", zorder=1)
    axis.set_ylabel("wall time / time in checks")
    axis.set_title("Overhead on the reference solutions (median, min–max)")
    axis.set_ylim(0, axis.get_ylim()[1] * 1.2)  # room for the legend above the bars
    axis.legend(loc="upper center", ncol=3)
    axis.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def class_size(results: Results, path: Path) -> Path:
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(8, 5))
    fits = {fit.way: fit for fit in results.fits}
    for way in WAYS:
        points = sorted((run.size, run.wall) for run in results.classes if run.way == way)
        if not points:
            continue
        color, marker = WAY_STYLE[way]
        sizes, walls = zip(*points, strict=True)
        label = way
        if way in fits:
            label += f" ({fits[way].slope:.1f} s/student)"
        axis.plot(sizes, [w / 60 for w in walls], marker=marker, color=color, label=label)
    axis.set_xlabel("students in the class")
    axis.set_ylabel("wall time (min)")
    axis.set_xticks(sorted({run.size for run in results.classes}))
    axis.set_xlim(left=0)
    axis.set_ylim(bottom=0)
    axis.set_title("Grading a whole class, side by side on the same machine")
    axis.legend()
    axis.grid(alpha=0.3)
    axis.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
