"""Draws the kiosk's pictures at build time: `python -m kiosk.ui.icons.draw` rewrites kiosk/ui/icons/*.png.

Why drawn here: every picture is our own (no icon set's licence to track), in the theme's colours, and one
flat style: a white disc with a dark-blue pictogram and an orange accent, so it reads on a blue button and on
the pale page alike. Shapes carry the meaning, never colour alone. Each picture is drawn at SUPERSAMPLE times
its size and scaled down, which anti-aliases every edge; the background stays transparent.
Coordinates are fractions of the picture's edge (0..1, y down); Pillow's angles run clockwise from 3 o'clock.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.ui.theme import Theme

ICON_PX = 256
"""Edge of an icon in pixels: a 300 px tile or a 150 px button shows it smaller, 长辈模式 larger."""
PICTURE_PX = 640
"""Edge of the ID-card picture in pixels (it fills the free middle of the consent screen)."""
SUPERSAMPLE = 4
"""Drawn this many times larger, then downscaled with a Lanczos filter."""
OUT_DIR = Path(__file__).resolve().parent

Colour = tuple[int, int, int, int]
Point = tuple[float, float]


def _rgba(colour: tuple[float, float, float, float]) -> Colour:
    return tuple(round(channel * 255) for channel in colour)  # type: ignore[return-value]


def _mix(colour: Colour, other: Colour, share: float) -> Colour:
    """`colour` with `share` (0..1) of `other` mixed in."""
    return tuple(round(a + (b - a) * share) for a, b in zip(colour, other, strict=True))  # type: ignore[return-value]


_THEME = Theme(min_touch_px=0.0)
INK = _rgba(_THEME.color_primary_dark)
BLUE = _rgba(_THEME.color_primary)
ACCENT = _rgba(_THEME.color_warning)
PAPER = _rgba(_THEME.color_surface)
TINT = _mix(BLUE, PAPER, 0.78)
ACCENT_DARK = _mix(ACCENT, INK, 0.35)


class Pen:
    """Draws in fractions of the picture's edge on a canvas SUPERSAMPLE times the final size."""

    def __init__(self, size_px: int) -> None:
        self.size_px = size_px
        self.px = size_px * SUPERSAMPLE
        self.image = Image.new("RGBA", (self.px, self.px), (0, 0, 0, 0))
        self._draw = ImageDraw.Draw(self.image)

    def _xy(self, points: list[Point]) -> list[tuple[float, float]]:
        return [(x * self.px, y * self.px) for x, y in points]

    def _w(self, width: float) -> int:
        return max(1, round(width * self.px))

    def box(self, x0: float, y0: float, x1: float, y1: float, fill: Colour | None = None, *, radius: float = 0,
            outline: Colour | None = None, width: float = 0) -> None:
        """A rectangle, with rounded corners of `radius`; an outline of `width` lies inside the edge."""
        self._draw.rounded_rectangle([x0 * self.px, y0 * self.px, x1 * self.px, y1 * self.px],
                                     radius=radius * self.px, fill=fill, outline=outline,
                                     width=self._w(width) if outline else 0)

    def ellipse(self, cx: float, cy: float, rx: float, ry: float | None = None, fill: Colour | None = None, *,
                outline: Colour | None = None, width: float = 0) -> None:
        """An ellipse (a circle when `ry` is left out); an outline of `width` is centred on the edge."""
        ry = rx if ry is None else ry
        grow = width / 2 if outline else 0
        self._draw.ellipse([(cx - rx - grow) * self.px, (cy - ry - grow) * self.px,
                            (cx + rx + grow) * self.px, (cy + ry + grow) * self.px],
                           fill=fill, outline=outline, width=self._w(width) if outline else 0)

    def pie(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float, fill: Colour) -> None:
        """A filled slice of an ellipse from angle `start` to `end` (degrees)."""
        self._draw.pieslice([(cx - rx) * self.px, (cy - ry) * self.px, (cx + rx) * self.px, (cy + ry) * self.px],
                            start, end, fill=fill)

    def polygon(self, points: list[Point], fill: Colour) -> None:
        self._draw.polygon(self._xy(points), fill=fill)

    def line(self, points: list[Point], width: float, fill: Colour) -> None:
        """A polyline with round joints and round ends."""
        self._draw.line(self._xy(points), fill=fill, width=self._w(width), joint="curve")
        for x, y in (points[0], points[-1]):
            self.ellipse(x, y, width / 2, fill=fill)

    def arc(self, cx: float, cy: float, rx: float, ry: float, start: float, end: float, width: float,
            fill: Colour) -> None:
        """An arc of `width` centred on the ellipse's edge, from angle `start` to `end` (degrees), round ends."""
        grow = width / 2
        self._draw.arc([(cx - rx - grow) * self.px, (cy - ry - grow) * self.px,
                        (cx + rx + grow) * self.px, (cy + ry + grow) * self.px],
                       start, end, fill=fill, width=self._w(width))
        for angle in (math.radians(start), math.radians(end)):
            self.ellipse(cx + rx * math.cos(angle), cy + ry * math.sin(angle), width / 2, fill=fill)

    @contextmanager
    def turned(self, degrees: float, centre: Point = (0.5, 0.5)) -> Iterator[Pen]:
        """A fresh layer to draw on, laid over this one turned `degrees` anticlockwise about `centre`."""
        layer = Pen(self.size_px)
        yield layer
        turned = layer.image.rotate(degrees, resample=Image.Resampling.BICUBIC,
                                    center=(centre[0] * self.px, centre[1] * self.px))
        self.image.alpha_composite(turned)

    def finished(self) -> Image.Image:
        """The picture at its final size."""
        return self.image.resize((self.size_px, self.size_px), Image.Resampling.LANCZOS)


# ---- shapes several pictures share -----------------------------------------------------------------------


def disc(p: Pen) -> None:
    """The white badge every icon sits on."""
    p.ellipse(0.5, 0.5, 0.47, fill=PAPER)


def heart(p: Pen, cx: float, cy: float, size: float, fill: Colour) -> None:
    """A heart `size` wide centred on (cx, cy)."""
    points = []
    for i in range(120):
        t = 2 * math.pi * i / 120
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((cx + x / 32 * size, cy - (y + 2.5) / 32 * size))
    p.polygon(points, fill)


def star(p: Pen, cx: float, cy: float, r_out: float, fill: Colour, *, points: int = 5, inner: float = 0.42) -> None:
    """A star of `points` tips, the first straight up; `inner` is the notch radius over the tip radius."""
    corners = []
    for i in range(points * 2):
        r = r_out if i % 2 == 0 else r_out * inner
        a = math.radians(-90 + 180 * i / points)
        corners.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    p.polygon(corners, fill)


def yen(p: Pen, cx: float, cy: float, size: float, fill: Colour) -> None:
    """The ¥ sign `size` tall centred on (cx, cy)."""
    w, h, stroke = size * 0.36, size / 2, size * 0.13
    p.line([(cx - w, cy - h), (cx, cy), (cx + w, cy - h)], stroke, fill)
    p.line([(cx, cy), (cx, cy + h)], stroke, fill)
    for y in (cy + h * 0.12, cy + h * 0.5):
        p.line([(cx - w * 0.75, y), (cx + w * 0.75, y)], stroke * 0.8, fill)


def person(p: Pen, cx: float, top: float, size: float, fill: Colour) -> None:
    """Head and shoulders, `size` tall from `top`."""
    p.ellipse(cx, top + size * 0.22, size * 0.21, fill=fill)
    p.pie(cx, top + size * 1.0, size * 0.42, size * 0.5, 180, 360, fill)


def paper(p: Pen, x0: float, y0: float, x1: float, y1: float, lines: int) -> None:
    """A sheet with `lines` lines of writing."""
    p.box(x0, y0, x1, y1, PAPER, radius=0.025, outline=INK, width=0.03)
    step = (y1 - y0) / (lines + 1.6)
    for i in range(lines):
        y = y0 + step * (i + 1.1)
        p.line([(x0 + 0.07, y), (x1 - (0.07 if i < lines - 1 else 0.16), y)], 0.035, BLUE)


def house(p: Pen, x0: float, x1: float, roof_top: float, eaves: float, bottom: float, wall: Colour,
          roof: Colour) -> None:
    """A house with a pitched roof and a white door."""
    overhang = (x1 - x0) * 0.1
    p.box(x0, eaves - 0.02, x1, bottom, wall)
    p.polygon([(x0 - overhang, eaves), ((x0 + x1) / 2, roof_top), (x1 + overhang, eaves)], roof)
    door = (x1 - x0) * 0.14
    mid = (x0 + x1) / 2
    p.box(mid - door, bottom - (bottom - eaves) * 0.55, mid + door, bottom, PAPER, radius=0.015)


# ---- the pictures -----------------------------------------------------------------------------------------


def smart(p: Pen) -> None:
    """智能咨询: a speech bubble."""
    p.box(0.18, 0.24, 0.82, 0.66, BLUE, radius=0.13)
    p.polygon([(0.28, 0.6), (0.46, 0.6), (0.24, 0.82)], BLUE)
    for x in (0.35, 0.5, 0.65):
        p.ellipse(x, 0.45, 0.055, fill=PAPER)


def topics(p: Pen) -> None:
    """分类咨询: a folder with papers in it."""
    p.box(0.17, 0.25, 0.45, 0.4, INK, radius=0.04)
    p.box(0.17, 0.3, 0.83, 0.78, INK, radius=0.05)
    p.box(0.33, 0.22, 0.79, 0.6, TINT, radius=0.02)
    p.box(0.25, 0.28, 0.71, 0.62, PAPER, radius=0.02)
    for y in (0.36, 0.44):
        p.line([(0.32, y), (0.64, y)], 0.035, BLUE)
    p.box(0.17, 0.5, 0.83, 0.78, BLUE, radius=0.05)


def legal_aid(p: Pen) -> None:
    """法律援助: an open hand holding up a heart."""
    heart(p, 0.55, 0.35, 0.36, ACCENT)
    p.box(0.12, 0.6, 0.25, 0.86, INK, radius=0.02)
    p.box(0.22, 0.63, 0.86, 0.81, BLUE, radius=0.09)
    p.line([(0.36, 0.66), (0.52, 0.56)], 0.09, BLUE)
    for y in (0.69, 0.75):
        p.line([(0.58, y), (0.8, y)], 0.012, PAPER)


def mediation(p: Pen) -> None:
    """人民调解: two people talking it over."""
    person(p, 0.31, 0.36, 0.4, BLUE)
    person(p, 0.69, 0.36, 0.4, INK)
    p.box(0.38, 0.17, 0.62, 0.33, ACCENT, radius=0.07)
    p.polygon([(0.46, 0.31), (0.54, 0.31), (0.5, 0.38)], ACCENT)
    for x in (0.44, 0.5, 0.56):
        p.ellipse(x, 0.25, 0.022, fill=PAPER)


def notarization(p: Pen) -> None:
    """公证: a seal stamp over its red round impression."""
    p.ellipse(0.5, 0.73, 0.3, 0.09, fill=None, outline=ACCENT, width=0.035)
    star(p, 0.5, 0.73, 0.06, ACCENT)
    p.ellipse(0.5, 0.2, 0.085, fill=INK)
    p.box(0.44, 0.24, 0.56, 0.44, INK, radius=0.02)
    p.box(0.28, 0.41, 0.72, 0.56, BLUE, radius=0.04)
    p.box(0.24, 0.54, 0.76, 0.61, INK, radius=0.02)


def hotline(p: Pen) -> None:
    """12348热线: a telephone handset with its ring."""
    with p.turned(40, (0.47, 0.53)) as layer:
        layer.arc(0.78, 0.53, 0.34, 0.3, 128, 232, 0.12, INK)
        layer.box(0.42, 0.17, 0.68, 0.35, INK, radius=0.07)
        layer.box(0.42, 0.71, 0.68, 0.89, INK, radius=0.07)
    for r in (0.1, 0.19):
        p.arc(0.6, 0.38, r, r, -85, 5, 0.045, ACCENT)


def labor(p: Pen) -> None:
    """劳动争议与欠薪: a hard hat and the wages owed."""
    p.pie(0.5, 0.5, 0.27, 0.27, 180, 360, ACCENT)
    p.box(0.46, 0.22, 0.54, 0.5, ACCENT_DARK, radius=0.03)
    p.box(0.15, 0.46, 0.85, 0.54, ACCENT_DARK, radius=0.04)
    p.ellipse(0.5, 0.71, 0.15, fill=INK)
    yen(p, 0.5, 0.71, 0.17, PAPER)


def work_injury(p: Pen) -> None:
    """工伤: a raised hand with a bandage round it."""
    for x, top in ((0.37, 0.27), (0.47, 0.19), (0.57, 0.21), (0.67, 0.29)):
        p.box(x - 0.045, top, x + 0.045, 0.55, BLUE, radius=0.045)
    with p.turned(-35, (0.32, 0.6)) as layer:
        layer.box(0.18, 0.52, 0.4, 0.61, BLUE, radius=0.045)
    p.box(0.31, 0.46, 0.72, 0.85, BLUE, radius=0.1)
    p.box(0.28, 0.55, 0.75, 0.7, PAPER, radius=0.02, outline=INK, width=0.025)
    p.box(0.485, 0.57, 0.515, 0.68, ACCENT)
    p.box(0.45, 0.61, 0.55, 0.64, ACCENT)


def marriage_family(p: Pen) -> None:
    """婚姻家庭: two wedding rings linked."""
    p.ellipse(0.39, 0.58, 0.18, fill=None, outline=INK, width=0.07)
    p.ellipse(0.61, 0.58, 0.18, fill=None, outline=ACCENT, width=0.07)
    p.arc(0.39, 0.58, 0.18, 0.18, 300, 330, 0.07, INK)
    p.polygon([(0.33, 0.3), (0.45, 0.3), (0.39, 0.38)], BLUE)
    p.polygon([(0.33, 0.3), (0.36, 0.25), (0.42, 0.25), (0.45, 0.3)], TINT)


def inheritance(p: Pen) -> None:
    """继承: a house and the paper that passes it on."""
    house(p, 0.2, 0.62, 0.17, 0.43, 0.76, BLUE, INK)
    paper(p, 0.52, 0.47, 0.82, 0.85, 3)


def domestic_violence(p: Pen) -> None:
    """家庭暴力 (discreet, passers-by see it): a roof sheltering a heart."""
    p.line([(0.2, 0.46), (0.5, 0.2), (0.8, 0.46)], 0.075, INK)
    p.box(0.62, 0.22, 0.7, 0.34, INK, radius=0.01)
    heart(p, 0.5, 0.6, 0.38, ACCENT)


def debt(p: Pen) -> None:
    """借贷与债务: an IOU and a stack of coins."""
    paper(p, 0.19, 0.2, 0.6, 0.72, 4)
    for i in range(3):
        y = 0.77 - i * 0.08
        p.ellipse(0.64, y + 0.04, 0.17, 0.06, fill=ACCENT_DARK)
        p.box(0.47, y, 0.81, y + 0.04, ACCENT_DARK)
        p.ellipse(0.64, y, 0.17, 0.06, fill=ACCENT, outline=PAPER, width=0.012)


def contract(p: Pen) -> None:
    """合同纠纷: a signed paper and the pen."""
    paper(p, 0.22, 0.15, 0.68, 0.83, 3)
    wave = [(0.3 + 0.3 * i / 30, 0.66 + 0.035 * math.sin(i / 30 * 3 * math.pi) * (1 - i / 40)) for i in range(31)]
    p.line(wave, 0.03, ACCENT)
    with p.turned(45, (0.72, 0.55)) as layer:
        layer.box(0.66, 0.22, 0.78, 0.62, BLUE, radius=0.03)
        layer.box(0.66, 0.22, 0.78, 0.3, INK, radius=0.03)
        layer.polygon([(0.66, 0.62), (0.78, 0.62), (0.72, 0.74)], INK)


def consumer(p: Pen) -> None:
    """消费维权: a shopping bag."""
    p.arc(0.5, 0.36, 0.13, 0.13, 180, 360, 0.05, INK)
    p.polygon([(0.23, 0.36), (0.77, 0.36), (0.81, 0.8), (0.19, 0.8)], BLUE)
    p.ellipse(0.37, 0.43, 0.025, fill=INK)
    p.ellipse(0.63, 0.43, 0.025, fill=INK)
    yen(p, 0.5, 0.62, 0.2, PAPER)


def traffic_accident(p: Pen) -> None:
    """交通事故: a car and a crash."""
    star(p, 0.76, 0.27, 0.15, ACCENT, points=8, inner=0.55)
    p.box(0.2, 0.66, 0.33, 0.8, INK, radius=0.03)
    p.box(0.67, 0.66, 0.8, 0.8, INK, radius=0.03)
    p.polygon([(0.27, 0.48), (0.34, 0.29), (0.66, 0.29), (0.73, 0.48)], BLUE)
    p.polygon([(0.32, 0.46), (0.37, 0.34), (0.63, 0.34), (0.68, 0.46)], TINT)
    p.box(0.15, 0.45, 0.85, 0.7, BLUE, radius=0.07)
    p.ellipse(0.27, 0.56, 0.05, fill=PAPER)
    p.ellipse(0.73, 0.56, 0.05, fill=PAPER)
    p.box(0.4, 0.6, 0.6, 0.64, INK, radius=0.02)


def personal_injury(p: Pen) -> None:
    """人身损害与侵权: an adhesive bandage."""
    with p.turned(40) as layer:
        layer.box(0.12, 0.37, 0.88, 0.63, BLUE, radius=0.13)
        layer.box(0.38, 0.37, 0.62, 0.63, PAPER, outline=INK, width=0.02)
        for x in (0.45, 0.55):
            for y in (0.45, 0.55):
                layer.ellipse(x, y, 0.015, fill=TINT)


def medical(p: Pen) -> None:
    """医疗纠纷: the hospital's red cross on a white sign."""
    p.box(0.2, 0.2, 0.8, 0.8, None, radius=0.12, outline=INK, width=0.04)
    p.box(0.405, 0.27, 0.595, 0.73, ACCENT, radius=0.02)
    p.box(0.27, 0.405, 0.73, 0.595, ACCENT, radius=0.02)


def apartments(p: Pen) -> None:
    """房产、物业与相邻关系: an apartment block beside a lower one."""
    p.box(0.25, 0.16, 0.58, 0.84, INK, radius=0.02)
    for row in range(5):
        for col in range(3):
            x, y = 0.3 + col * 0.095, 0.22 + row * 0.1
            p.box(x, y, x + 0.05, y + 0.06, PAPER)
    p.box(0.58, 0.42, 0.8, 0.84, BLUE, radius=0.02)
    for row in range(3):
        for col in range(2):
            x, y = 0.62 + col * 0.09, 0.48 + row * 0.1
            p.box(x, y, x + 0.05, y + 0.06, PAPER)
    p.box(0.37, 0.74, 0.46, 0.84, ACCENT)


def land_demolition(p: Pen) -> None:
    """土地、征地与拆迁: an excavator digging the ground."""
    p.line([(0.52, 0.56), (0.66, 0.22), (0.78, 0.5)], 0.065, INK)
    p.polygon([(0.72, 0.46), (0.88, 0.48), (0.84, 0.66), (0.72, 0.6)], INK)
    p.box(0.12, 0.68, 0.62, 0.81, INK, radius=0.065)
    for x in (0.2, 0.31, 0.43, 0.54):
        p.ellipse(x, 0.745, 0.035, fill=PAPER)
    p.box(0.14, 0.5, 0.6, 0.67, ACCENT, radius=0.02)
    p.box(0.16, 0.3, 0.38, 0.52, ACCENT, radius=0.02)
    p.box(0.2, 0.34, 0.34, 0.45, PAPER, radius=0.01)
    p.line([(0.1, 0.86), (0.9, 0.86)], 0.03, INK)


def criminal(p: Pen) -> None:
    """刑事: the scales of justice."""
    p.box(0.47, 0.24, 0.53, 0.76, INK)
    p.box(0.3, 0.74, 0.7, 0.81, INK, radius=0.02)
    p.box(0.16, 0.28, 0.84, 0.33, INK, radius=0.02)
    p.ellipse(0.5, 0.23, 0.045, fill=INK)
    for x in (0.25, 0.75):
        p.line([(x, 0.31), (x - 0.1, 0.58)], 0.02, INK)
        p.line([(x, 0.31), (x + 0.1, 0.58)], 0.02, INK)
        p.pie(x, 0.57, 0.13, 0.09, 0, 180, BLUE)


def administrative(p: Pen) -> None:
    """行政争议与行政复议: a government building with columns."""
    p.polygon([(0.14, 0.36), (0.5, 0.16), (0.86, 0.36)], INK)
    p.ellipse(0.5, 0.29, 0.04, fill=ACCENT)
    p.box(0.17, 0.36, 0.83, 0.41, INK)
    for x in (0.24, 0.39, 0.54, 0.69):
        p.box(x, 0.43, x + 0.07, 0.69, BLUE)
    p.box(0.17, 0.7, 0.83, 0.76, INK)
    p.box(0.12, 0.77, 0.88, 0.83, INK, radius=0.01)


def social_security(p: Pen) -> None:
    """社会保险与社会救助: an umbrella over a person."""
    p.pie(0.5, 0.42, 0.34, 0.24, 180, 360, BLUE)
    for x in (0.27, 0.5, 0.73):
        p.ellipse(x, 0.42, 0.115, 0.035, fill=PAPER)
    p.ellipse(0.5, 0.16, 0.025, fill=INK)
    person(p, 0.5, 0.48, 0.33, INK)


def referral(p: Pen) -> None:
    """其他问题 / 转人工: a person with a headset."""
    person(p, 0.5, 0.26, 0.52, BLUE)
    p.arc(0.5, 0.37, 0.16, 0.16, 190, 350, 0.04, INK)
    p.box(0.29, 0.32, 0.37, 0.45, ACCENT, radius=0.03)
    p.box(0.63, 0.32, 0.71, 0.45, ACCENT, radius=0.03)
    p.line([(0.67, 0.44), (0.63, 0.52), (0.55, 0.54)], 0.025, INK)
    p.ellipse(0.54, 0.54, 0.03, fill=INK)


def library(p: Pen) -> None:
    """法律法规查询: an open law book with lines of text, a bookmark in it."""
    p.polygon([(0.14, 0.3), (0.5, 0.36), (0.5, 0.8), (0.14, 0.74)], BLUE)
    p.polygon([(0.86, 0.3), (0.5, 0.36), (0.5, 0.8), (0.86, 0.74)], INK)
    p.polygon([(0.18, 0.27), (0.48, 0.33), (0.48, 0.74), (0.18, 0.68)], PAPER)
    p.polygon([(0.82, 0.27), (0.52, 0.33), (0.52, 0.74), (0.82, 0.68)], PAPER)
    for i in range(4):
        y = 0.4 + 0.08 * i
        p.line([(0.23, y - 0.02), (0.43, y + 0.02)], 0.02, BLUE)
        p.line([(0.57, y + 0.02), (0.77, y - 0.02)], 0.02, BLUE)
    p.polygon([(0.64, 0.2), (0.72, 0.2), (0.72, 0.42), (0.68, 0.38), (0.64, 0.42)], ACCENT)


def pufa(p: Pen) -> None:
    """普法学习: a lit bulb over an open page, learning something useful."""
    paper(p, 0.22, 0.56, 0.78, 0.86, 2)
    p.ellipse(0.5, 0.36, 0.19, fill=ACCENT)
    p.box(0.42, 0.5, 0.58, 0.62, INK, radius=0.02)
    for angle_x, angle_y in ((0.22, 0.3), (0.78, 0.3), (0.5, 0.1)):
        p.line([(0.5 + (angle_x - 0.5) * 0.72, 0.36 + (angle_y - 0.36) * 0.72), (angle_x, angle_y)], 0.03, BLUE)


def generic(p: Pen) -> None:
    """A topic of a newer content pack that came without a picture: a plain paper."""
    paper(p, 0.27, 0.17, 0.73, 0.83, 5)


def face(mood: int) -> Callable[[Pen], None]:
    """The rating face of level `mood` (5 very happy … 1 very unhappy): the mouth carries the meaning."""

    def draw(p: Pen) -> None:
        p.ellipse(0.5, 0.5, 0.39, fill=None, outline=INK, width=0.04)
        if mood == 5:
            for x in (0.38, 0.62):
                p.arc(x, 0.42, 0.06, 0.05, 200, 340, 0.04, INK)
        else:
            for x in (0.38, 0.62):
                p.ellipse(x, 0.4, 0.04, 0.055, fill=INK)
        if mood == 1:
            p.line([(0.31, 0.3), (0.42, 0.33)], 0.035, INK)
            p.line([(0.69, 0.3), (0.58, 0.33)], 0.035, INK)
        if mood == 5:
            p.pie(0.5, 0.56, 0.19, 0.16, 0, 180, INK)
            p.pie(0.5, 0.65, 0.1, 0.06, 180, 360, ACCENT)
        elif mood == 4:
            p.arc(0.5, 0.52, 0.16, 0.13, 25, 155, 0.045, INK)
        elif mood == 3:
            p.line([(0.37, 0.63), (0.63, 0.63)], 0.045, INK)
        elif mood == 2:
            p.arc(0.5, 0.78, 0.16, 0.12, 205, 335, 0.045, INK)
        else:
            p.pie(0.5, 0.76, 0.17, 0.14, 180, 360, INK)

    draw.__doc__ = f"Rating level {mood}."
    return draw


def card(p: Pen) -> None:
    """Where the ID card goes: flat on the marked reader area of the kiosk front, under a pointing arrow."""
    p.box(0.06, 0.4, 0.94, 0.96, TINT, radius=0.04)
    p.box(0.16, 0.5, 0.84, 0.9, INK, radius=0.04)
    for x, y, dx, dy in ((0.2, 0.54, 1, 1), (0.8, 0.54, -1, 1), (0.2, 0.86, 1, -1), (0.8, 0.86, -1, -1)):
        p.line([(x + 0.08 * dx, y), (x, y), (x, y + 0.06 * dy)], 0.018, PAPER)
    p.box(0.26, 0.56, 0.74, 0.86, PAPER, radius=0.025)
    p.box(0.26, 0.56, 0.74, 0.62, TINT, radius=0.025)
    p.box(0.26, 0.59, 0.74, 0.62, TINT)
    p.box(0.26, 0.56, 0.74, 0.86, None, radius=0.025, outline=BLUE, width=0.012)
    for i, y in enumerate((0.67, 0.72, 0.77, 0.82)):
        p.line([(0.31, y), (0.52 if i % 2 else 0.56, y)], 0.014, BLUE)
    p.box(0.59, 0.66, 0.7, 0.83, TINT, radius=0.01)
    person(p, 0.645, 0.68, 0.15, BLUE)
    for r in (0.05, 0.09, 0.13):
        p.arc(0.5, 0.47, r, r * 0.7, 200, 340, 0.015, BLUE)
    p.box(0.46, 0.04, 0.54, 0.18, ACCENT, radius=0.02)
    p.polygon([(0.38, 0.16), (0.62, 0.16), (0.5, 0.3)], ACCENT)


def exit_door(p: Pen) -> None:
    """快速离开: an open door with an arrow going out."""
    p.box(0.18, 0.16, 0.56, 0.84, None, outline=INK, width=0.05)
    p.polygon([(0.2, 0.18), (0.42, 0.25), (0.42, 0.8), (0.2, 0.82)], BLUE)
    p.ellipse(0.37, 0.53, 0.025, fill=PAPER)
    p.line([(0.5, 0.5), (0.76, 0.5)], 0.08, ACCENT)
    p.polygon([(0.7, 0.36), (0.88, 0.5), (0.7, 0.64)], ACCENT)


def large_text(p: Pen) -> None:
    """大字: a big 大 under a magnifier."""
    p.line([(0.29, 0.41), (0.59, 0.41)], 0.055, INK)
    p.line([(0.44, 0.26), (0.44, 0.41), (0.41, 0.52), (0.3, 0.61)], 0.055, INK)
    p.line([(0.46, 0.46), (0.59, 0.6)], 0.055, INK)
    p.ellipse(0.44, 0.44, 0.25, fill=None, outline=BLUE, width=0.05)
    p.line([(0.63, 0.63), (0.8, 0.8)], 0.1, BLUE)


def speaker(p: Pen) -> None:
    """朗读: a loudspeaker with sound waves."""
    p.box(0.16, 0.4, 0.33, 0.6, INK, radius=0.02)
    p.polygon([(0.31, 0.4), (0.52, 0.22), (0.52, 0.78), (0.31, 0.6)], INK)
    for r in (0.12, 0.22):
        p.arc(0.55, 0.5, r, r, -50, 50, 0.05, ACCENT)


ICONS: dict[str, Callable[[Pen], None]] = {
    "smart": smart, "topics": topics, "legal_aid": legal_aid, "mediation": mediation,
    "notarization": notarization, "hotline": hotline, "library": library, "pufa": pufa,
    "labor": labor, "work_injury": work_injury, "marriage_family": marriage_family, "inheritance": inheritance,
    "domestic_violence": domestic_violence, "debt": debt, "contract": contract, "consumer": consumer,
    "traffic_accident": traffic_accident, "medical": medical, "personal_injury": personal_injury,
    "property": apartments, "land_demolition": land_demolition, "criminal": criminal,
    "administrative": administrative, "social_security": social_security, "referral": referral,
    "generic": generic,
    **{f"rating.{level}": face(level) for level in range(1, 6)},
    "exit": exit_door, "large_text": large_text, "speaker": speaker,
}
"""Icon name (home tile control id, flow id, rating level, symbol) → its pictogram, drawn on the white disc."""
PICTURES: dict[str, Callable[[Pen], None]] = {"card": card}
"""Larger pictures without the disc, shown on the pale page."""


def render(name: str) -> Image.Image:
    """The picture called `name` at its final size."""
    if name in PICTURES:
        pen = Pen(PICTURE_PX)
        PICTURES[name](pen)
        return pen.finished()
    pen = Pen(ICON_PX)
    disc(pen)
    ICONS[name](pen)
    return pen.finished()


def main(out_dir: Path = OUT_DIR) -> None:
    """Draw every picture into `out_dir` as NAME.png."""
    for name in (*ICONS, *PICTURES):
        render(name).save(out_dir / f"{name}.png", optimize=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR)
