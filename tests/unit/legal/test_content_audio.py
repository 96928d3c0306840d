"""The pack's spoken clips cover every fixed text: a flow or catalogue edit without `kiosk content build
--audio-only` fails here, and so does a clip no text uses any more."""

from kiosk.config.schema import SpeechConfig
from kiosk_build.audio import FORMAT, fixed_texts, pack_fixed_texts, read_manifest
from kiosk.legal.pufa import load_cards
from kiosk.services.speech import AUDIO_DIRNAME, CLIP_SUFFIX, clip_name, normalise, speakable
from kiosk.ui.i18n import load_catalogue

from .conftest import CONTENT_ROOT

AUDIO = CONTENT_ROOT / AUDIO_DIRNAME
REBUILD = "run `kiosk content build --audio-only`"


def test_every_fixed_text_has_a_clip_and_every_clip_a_text():
    wanted = {clip_name(text): text for text in pack_fixed_texts(CONTENT_ROOT)}
    clips = read_manifest(AUDIO)["clips"]
    files = {path.stem for path in AUDIO.glob(f"*{CLIP_SUFFIX}")}
    missing = sorted(text for name, text in wanted.items() if name not in clips or name not in files)
    assert missing == [], f"{len(missing)} fixed texts have no clip ({REBUILD}): {missing[:5]}"
    assert sorted((set(clips) | files) - set(wanted)) == [], f"clips of texts no longer used ({REBUILD})"


def test_the_clips_were_rendered_with_the_kiosks_voice():
    manifest = read_manifest(AUDIO)
    config = SpeechConfig()
    assert (manifest["voice"], manifest["rate_wpm"], manifest["format"]) == (config.voice, config.rate_wpm, FORMAT)


def test_fixed_texts_are_the_pages_outcomes_and_catalogue_without_a_citizens_values(pack):
    catalogue = load_catalogue("zh_CN")
    texts = set(fixed_texts(pack, catalogue))
    labor = pack.flow("labor")
    page = labor.pages[labor.start]
    assert {labor.title, page.text, page.help} <= texts
    assert {option.label for flow in pack.flows.values() for page in flow.pages.values()
            for option in page.options} <= texts
    assert {catalogue["common.ok"], catalogue["countdown.title"]} <= texts
    assert not any("{" in text for text in texts) and all(speakable(text) for text in texts)
    assert catalogue["countdown.seconds"] not in texts  # "{seconds} 秒": the kiosk synthesises it


def test_every_pufa_card_page_is_a_fixed_text():
    """A card's page is read the moment it shows (长辈模式): from a clip, not synthesised while the citizen waits."""
    texts = set(pack_fixed_texts(CONTENT_ROOT))
    cards = load_cards(CONTENT_ROOT)
    assert len(cards) >= 48
    assert {normalise(text) for card in cards for text in (card.title, *(p.heading for p in card.pages),
                                                             *(p.text for p in card.pages))} <= texts
