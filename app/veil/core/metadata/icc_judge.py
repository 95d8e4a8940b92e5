"""Whether a colour profile's text names someone: "standard", "device" or "personal".

Standard colour-space names and profile vendors' copyrights name nobody; a device's name
("Canon EOS R5 profile") says which camera or screen made the profile; any other word
("JohnS iMac 27", "(c) John Secretname 2024") may be a person's or a computer's name.
"""

from __future__ import annotations

import re

#: Words of standard colour-space names, profile vendors and copyright boilerplate: a text
#: made only of these (and numbers) names nobody ("sRGB IEC61966-2.1", "Display P3",
#: "Copyright (c) 1998 Hewlett-Packard Company", "No copyright, use freely").
_STANDARD_TEXT = """
a adobe all and ag apple argyll argyllcms attribution basiccolor best beta bt built by c calibrated
camera ch cie cc0 cmyk coated color colormatch colorsync colour commons company condition
conditions consortium copyright corp corporation creative d50 d65 datacolor dci default
description display displaycal domain dot druckmaschinen eastman eci ecirgb elle facebook fb
for fogra freely gain gamma gamut generic google gracol gray grey gretag gretagmacbeth
heidelberger hewlett hdr hlg http https i1profiler icc iec in inc incorporated international
is iso itu japan kodak lab lcd lcms license licensed linear littlecms llc ltd macbeth
microsoft monitor no ntsc of pal packard perceptual photo pq preference profile profiler
prophoto public rec reference reserved rgb rights rite romm rvb s sample secam smpte space
spyder srgb standard stone swop systems the tagged tiff to u uncalibrated uncoated under
newsprint sheetfed euroscale photoshop bruce don ekta ps5 sheet fed coated paper
unknown us use v version viewing web wide widegamutrgb www x xrite xyz ycc
"""
_STANDARD_WORDS = frozenset(_STANDARD_TEXT.split())
#: Words that name a kind or brand of device: a profile named after one says which camera,
#: phone or screen made it (low), not who owns it.
_DEVICE_TEXT = """
acer air asus benq canon cinema dell eizo eos epson fuji fujifilm galaxy hasselblad hp
huawei imac ipad iphone led leica lenovo lg macbook mini nec nikon olympus oled panasonic
pentax phone pixel printer pro retina samsung scanner sony studio thunderbolt viewsonic
xdr xiaomi
"""
_DEVICE_WORDS = frozenset(_DEVICE_TEXT.split())
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def judge_text(text: str) -> str:
    """How much one profile text says: "standard", "device" or "personal".

    "personal" is any word that is neither a colour/vendor word, a device word, a number nor
    a model code (letters with digits): a made-up name such as "JohnS iMac 27" or
    "(c) John Secretname 2024". Only the first (English) translation of a multi-language
    text is judged: the others translate the same name.
    """
    words = [w.lower() for w in _WORD.findall(text.split(" / ", 1)[0])]
    device = False
    for word in words:
        if word in _STANDARD_WORDS or any(ch.isdigit() for ch in word):
            continue
        if word in _DEVICE_WORDS:
            device = True
            continue
        return "personal"
    return "device" if device else "standard"
