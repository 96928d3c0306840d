"""The typed configuration schema: every setting, its default, its bounds and its unit.

Why: a kiosk runs unattended; a typo in a file must be refused with the file and key named, never half-applied.
Each section is a frozen dataclass checked by `kiosk.config.sections` (unknown keys refused); descriptions
state units. `config/kiosk.example.toml` is generated from this module (`kiosk config example`), and a test
fails when it is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from kiosk.config.sections import ConfigInvalid, setting

SCHEMA_VERSION = 1
"""The schema_version this code reads; older files are migrated by `kiosk.config.migrations`."""


@dataclass(frozen=True)
class KioskIdentity:
    """Who this terminal is in the fleet and on printed slips."""

    id: str = setting("dev-0001", pattern=r"^[A-Za-z0-9_-]{1,32}$",
                      description="Kiosk id: MQTT client id, certificate CN and prefix of opinion numbers.")
    region: str = setting("dev", pattern=r"^[A-Za-z0-9_-]{1,32}$",
                          description="Region code in the fleet topic tree (e.g. a county's code).")
    site_name: str = setting("开发测试服务点", remote=True, description="Name of the service point, printed on slips.")
    service_name: str = setting("公共法律服务中心", remote=True,
                                description="Name of the service printed in the slip header.")


@dataclass(frozen=True)
class PathsConfig:
    """Where the kiosk keeps its files (logs go to journald); development runs use a per-user directory."""

    data_dir: str = setting("/var/lib/kiosk", description="Directory for the database, outbox and moved-aside files.")


@dataclass(frozen=True)
class UiConfig:
    """The touchscreen shell."""

    fullscreen: bool = setting(True, description="Fullscreen on the kiosk; a scaled window in development.")
    window_scale: float = setting(0.4, gt=0.1, le=1.0,
                                  description="Window size as a fraction of 1080x1920 when not fullscreen.")
    language: Literal["zh_CN"] = setting("zh_CN", description="Citizen language (Simplified Chinese).")
    font_path: str = setting("", description="CJK font file; empty = first found of the known system fonts.")
    touch_target_mm: float = setting(15.0, remote=True, ge=9.0,
                                     description="Smallest touch target edge in millimetres.")
    screen_dpi: float = setting(102.0, gt=50.0, description="Panel pixels per inch (21.5\" 1080x1920 is ~102).")
    rotation_deg: Literal[0, 90, 180, 270] = setting(0, description="Turn the picture by this many degrees for a "
                                                     "panel mounted in portrait whose native mode is landscape "
                                                     "(touches turn with it).")
    touch_input: str = setting("", description="Kivy input provider of the touch panel with its calibration, "
                               "replacing the default probesysfs, e.g. \"probesysfs,provider=hidinput,"
                               "param=invert_y=1,param=min_position_x=0.02\" (deploy/README.md, Display).")


@dataclass(frozen=True)
class SessionConfig:
    """The citizen's session and its privacy wipe."""

    idle_timeout_s: float = setting(90.0, remote=True, ge=5.0,
                                    description="Seconds without a touch before the countdown starts.")
    countdown_s: float = setting(15.0, remote=True, ge=3.0,
                                 description="Seconds of spoken and shown countdown before the wipe.")
    elderly_idle_timeout_s: float = setting(180.0, remote=True, ge=30.0,
                                            description="Seconds without a touch before the "
                                            "countdown in 长辈模式 (elderly mode: slower readers get more time).")
    sensitive_idle_timeout_s: float = setting(45.0, remote=True, ge=15.0,
                                              description="Seconds without a touch before the "
                                              "countdown on a sensitive topic (domestic violence, criminal, "
                                              "medical: a screen left open in a public hall can hurt).")


@dataclass(frozen=True)
class SpeechConfig:
    """Pages read aloud: clips of the content pack, and espeak-ng for texts with a citizen's own values."""

    enabled: bool = setting(True, remote=True, description="Read pages aloud (on by default in 长辈模式, a speaker button "
                                              "elsewhere); false = a silent kiosk.")
    engine: str = setting("espeak-ng", description="Command of the offline synthesiser (espeak-ng), on PATH or a path.")
    voice: str = setting("cmn-latn-pinyin", remote=True,
                         description="espeak-ng voice: Mandarin (espeak-ng 1.51's plain `cmn` "
                                                       "reads its own pinyin through English rules).")
    rate_wpm: int = setting(150, remote=True, ge=80, le=450,
                            description="Speaking rate in espeak-ng words per minute (150 ≈ "
                            "170 Chinese syllables a minute with pauses); the pack's clips keep their build's rate.")
    volume: float = setting(1.0, remote=True, ge=0.0, le=1.0, description="Playback volume, 0 (silent) to 1 (full).")


@dataclass(frozen=True)
class MaintenanceConfig:
    """The technician's menu behind a hidden gesture and a PIN."""

    pin_hash: str = setting("", description="Salted scrypt hash of the PIN (`kiosk maintenance hash-pin`); "
                                         "empty = not provisioned, every PIN is refused.")
    max_attempts: int = setting(5, remote=True, ge=1, description="Wrong PINs in a row before the menu locks.")
    lockout_s: float = setting(300.0, remote=True, ge=10.0,
                               description="Seconds the menu stays locked after max_attempts.")
    gesture_taps: int = setting(5, remote=True, ge=3, description="Taps on the top-left corner that open the PIN pad.")
    gesture_window_s: float = setting(3.0, remote=True, gt=0.5,
                                      description="Seconds within which the corner taps must fall.")
    crash_loop_threshold: int = setting(3, remote=True, ge=1,
                                      description="Failed starts in a row after which the kiosk boots to safe mode.")
    bundle_dir: str = setting("", description="Directory the diagnostic bundle is written to (a stick's fixed mount "
                                              "point); empty = the USB stick mounted last under /media or /run/media.")


@dataclass(frozen=True)
class StorageConfig:
    """Local SQLite storage."""

    db_filename: str = setting("kiosk.db", description="Database file name inside paths.data_dir.")
    busy_timeout_ms: int = setting(5000, ge=0, description="SQLite busy timeout in milliseconds.")


@dataclass(frozen=True)
class LoggingConfig:
    """Structured logs to stderr (journald on the kiosk)."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = setting("INFO", remote=True,
                                                                  description="Lowest level logged.")
    format: Literal["text", "json"] = setting("text", remote=True,
                                              description="key=value text, or one JSON object per line.")


DeviceKind = Literal["serial", "sim", "none"]
"""`serial`: a real port by URL; `sim`: the bundled simulator on a pty, chosen explicitly; `none`: absent."""


@dataclass(frozen=True)
class PrinterProfile:
    """What one printer model can do; jobs are laid out and paced from this."""

    paper_width_dots: int = setting(576, ge=200, le=1000,
                                    description="Printable width in dots (80 mm: 576, 58 mm: 384).")
    dots_per_mm: float = setting(8.0, gt=0, description="Resolution in dots per millimetre (203 dpi = 8).")
    chars_per_line_cjk: int = setting(24, ge=8, description="Full-width (CJK) characters per line in font A.")
    native_qr: bool = setting(True, description="Prints QR codes natively with GS ( k; else they are sent as images.")
    codepage: Literal["gb18030", "gbk"] = setting("gb18030", description="Chinese encoding of the printer's own font.")
    print_speed_mm_s: float = setting(150.0, gt=0, description="Mechanism speed in millimetres per second.")
    receive_buffer_bytes: int = setting(4096, ge=256, description="Printer's receive buffer in bytes.")
    has_cutter: bool = setting(True, description="Has an auto-cutter (GS V).")


def _default_printer_profiles() -> dict[str, PrinterProfile]:
    return {
        "generic_80mm": PrinterProfile(),
        "generic_58mm": PrinterProfile(paper_width_dots=384, chars_per_line_cjk=16, native_qr=False,
                                       codepage="gbk", print_speed_mm_s=60.0, receive_buffer_bytes=1024,
                                       has_cutter=False),
    }


@dataclass(frozen=True)
class PrinterConfig:
    """The ESC/POS thermal printer."""

    kind: DeviceKind = setting("serial", description="How the printer is reached.")
    port: str = setting("/dev/kiosk/printer", description="pyserial URL of the port (path, socket://, loop://).")
    baudrate: int = setting(115200, description="Serial speed in bit/s.")
    flow_control: Literal["rtscts", "xonxoff", "none"] = setting("rtscts", description="Serial flow control.")
    write_timeout_s: float = setting(5.0, remote=True, gt=0,
                                     description="Seconds a write may block before the job fails.")
    status_timeout_s: float = setting(0.5, remote=True, gt=0,
                                      description="Seconds to wait for a DLE EOT reply before 'offline'.")
    status_poll_interval_s: float = setting(30.0, remote=True, ge=1,
                                            description="Seconds between scheduled status checks.")
    profile: str = setting("generic_80mm", remote=True, description="Name of the entry in printer_profiles to use.")
    slip_full_texts: bool = setting(False, remote=True, description="Print each cited provision's full text and the "
                                    "analysis on opinion slips (about twice the paper) instead of the pocket slip's "
                                    "one-line gists; the QR code leads to the full texts either way.")
    cutter_life_cuts: int = setting(500_000, remote=True, ge=1000, description="Cuts the fitted cutter is rated for "
                                    "(its data sheet); the maintenance overview says when 90% are used.")
    head_life_km: float = setting(50.0, remote=True, gt=0, description="Kilometres of paper the fitted print head is "
                                  "rated for (its data sheet); the maintenance overview says when 90% are printed.")


@dataclass(frozen=True)
class IdCardConfig:
    """The resident ID card reader (SAM serial module)."""

    kind: DeviceKind = setting("serial", description="How the reader is reached.")
    port: str = setting("/dev/kiosk/idreader", description="pyserial URL of the port.")
    baudrate: int = setting(115200, description="Serial speed in bit/s.")
    poll_interval_s: float = setting(0.5, remote=True, gt=0,
                                     description="Seconds between find-card polls while reading is on.")
    command_timeout_s: float = setting(3.0, remote=True, gt=0,
                                       description="Seconds to wait for a card-data read's reply.")
    quick_command_timeout_s: float = setting(0.5, remote=True, gt=0,
                                           description="Seconds to wait for a find, select or SAM command's reply.")
    status_interval_s: float = setting(3.0, remote=True, gt=0,
                                       description="Seconds between SAM status checks while reading is off.")
    reconnect_interval_s: float = setting(1.0, remote=True, gt=0,
                                          description="Seconds between attempts to reach an offline reader.")
    elderly_age_years: int = setting(60, remote=True, ge=50, le=80,
                                     description="Age from which a citizen counts as elderly.")


@dataclass(frozen=True)
class FleetConfig:
    """The MQTT link to the bureau's central server."""

    enabled: bool = setting(False, description="Connect to the fleet broker.")
    host: str = setting("127.0.0.1", description="Broker host name.")
    port: int = setting(8883, ge=1, le=65535, description="Broker TCP port.")
    tls: bool = setting(True, description="Use TLS (client certificates below).")
    ca_file: str = setting("/etc/kiosk/tls/ca.pem", description="CA certificate (PEM) the broker's cert must chain to.")
    cert_file: str = setting("/etc/kiosk/tls/kiosk.pem", description="This kiosk's client certificate (PEM).")
    key_file: str = setting("/etc/kiosk/tls/kiosk.key", description="This kiosk's private key (PEM).")
    username: str = setting("", description="MQTT username; empty = the kiosk id.")
    password_file: str = setting("", description="File holding the MQTT password (systemd credential).")
    keepalive_s: int = setting(60, remote=True,
                               ge=5, description="MQTT keepalive in seconds.")
    outbox_max_mb: float = setting(64.0, remote=True,
                                   gt=0, description="Disk cap of the telemetry outbox in megabytes.")
    batch_max_events: int = setting(200, remote=True,
                                    ge=1, le=1000, description="Events per telemetry batch at most "
                                                               "(the protocol allows 1000).")
    batches_per_s: float = setting(5.0, remote=True,
                                   gt=0, description="Rate limit of telemetry batches per second.")
    batches_in_flight: int = setting(8, remote=True,
                                     ge=1, le=64, description="Telemetry batches sent and not yet acked, at most.")
    ack_timeout_s: float = setting(30.0, remote=True,
                                   gt=0, description="Seconds without an ack before resending from the last ack.")
    reconnect_base_s: float = setting(5.0, remote=True,
                                      gt=0, description="Longest reconnect delay in the first window of an "
                                      "outage, in seconds (delays are uniform from 0; kiosks per broker / this = "
                                      "connects per second when it returns).")
    reconnect_window_s: float = setting(60.0, remote=True,
                                        gt=0, description="Seconds of outage retried at the base delay; "
                                        "after it the longest delay doubles every window.")
    reconnect_cap_s: float = setting(600.0, remote=True,
                                     gt=0, description="Longest reconnect delay in seconds.")
    start_jitter_s: float = setting(60.0, remote=True,
                                    ge=0, description="Random delay before the first connect after start, "
                                                      "in seconds (spreads a site's power-on).")
    content_dir: str = setting("/var/lib/kiosk/content", description="Where content jobs download and install "
                                                                    "packs; `current` in it links the pack to load.")
    content_key_file: str = setting("/etc/kiosk/content-signing.pub", description="The bureau's Ed25519 public key "
                                  "(64 hex characters) that must have signed every content pack.")


@dataclass(frozen=True)
class LegalAidCentre:
    """Where citizens apply for legal aid; printed on slips."""

    name: str = setting("县法律援助中心", description="Name of the legal aid centre.")
    address: str = setting("请咨询当地司法局", description="Street address.")
    hours: str = setting("工作日 9:00-12:00，14:00-17:30", description="Opening hours.")
    phone: str = setting("12348", description="Telephone.")


@dataclass(frozen=True)
class LegalAidConfig:
    """Provincial legal-aid rules (Legal Aid Law 2022 Art. 34: the province sets the hardship standard)."""

    hardship_income_per_person_yuan_month: float = setting(
        1200.0, remote=True, ge=0, description="Monthly household income per person (yuan) at or below which a household "
                                  "counts as in economic hardship; set to the province's standard.")
    other_injuries_listed: bool = setting(
        False, remote=True, description="The province's own laws, regulations or rules (Legal Aid Law Art. 31(9)) list claims "
                           "for personal injuries other than the four of Art. 31(7) (work, traffic, food and "
                           "drug safety, medical accidents) as legal-aid matters; true = the pre-check tells "
                           "someone beaten, bitten or hurt in a fall that the matter is listed.")
    centre: LegalAidCentre = setting(remote=True, factory=LegalAidCentre)
    verification_key_file: str = setting(
        "/var/lib/kiosk/opinion.key", description="File holding this kiosk's secret key (32 random bytes, created "
                                                  "on first start) for the verification code of every opinion.")
    verify_url: str = setting("", remote=True, description="Base URL printed in the opinion's QR code to check a slip "
                                            "(number, code and cited provisions are appended): the bureau's web "
                                            "console with /v, e.g. https://console.example/v; empty = no URL.")
    application_key_file: str = setting(
        "/var/lib/kiosk/legal_aid_application.key", description="File holding this kiosk's AES-256 key (32 random "
        "bytes, created on first use) that encrypts stored legal-aid pre-applications at rest.")
    application_retention_days: int = setting(
        30, remote=True, ge=1, le=365, description="Days (of 24 h) a pre-application not yet handed to the legal-aid office is "
                                      "kept before it is deleted unread.")


HEX_BYTES = r"^[0-9A-Fa-f]{2}( ?[0-9A-Fa-f]{2})*$"
"""One or more bytes as hex pairs, optionally separated by single spaces (`AA 01 55`)."""


@dataclass(frozen=True)
class CallBellConfig:
    """A call bell (or a pager transmitter) on a serial port that rings when it receives the configured bytes."""

    port: str = setting("/dev/kiosk/bell", description="pyserial URL of the bell's port (path, socket://, …).")
    baudrate: int = setting(9600, description="Serial speed in bit/s.")
    ring_hex: str = setting("07", pattern=HEX_BYTES, description="Bytes that ring the bell, as hex pairs "
                                                                 "(e.g. \"AA 01 55\"; 07 is ASCII BEL).")
    write_timeout_s: float = setting(2.0, gt=0, le=10.0, description="Seconds the ring may block before it "
                                                                     "counts as failed.")


@dataclass(frozen=True)
class GpioCallConfig:
    """A staff-call output (a light or buzzer at the window) on a GPIO line, pulsed through its sysfs value file."""

    value_path: str = setting("/sys/class/gpio/gpio17/value", description="The line's sysfs value file; the line "
                              "must be exported and set to `out` at boot and the file writable by the kiosk user.")
    pulse_s: float = setting(1.0, gt=0, le=10.0, description="Seconds the line stays active per call.")
    active_low: bool = setting(False, description="The output is active when the line is low (writes 0, then 1).")


# Its own section, not part of legal_aid.centre: the centre (printed on slips) is often elsewhere in the county,
# while the staff, their hours and a call bell belong to the service point the kiosk stands in.
@dataclass(frozen=True)
class HandoffConfig:
    """找人工帮忙 at this site: where its staff are, and how the kiosk can call one of them."""

    staff_location: str = setting("服务大厅窗口的工作人员", remote=True, description="Where this site's staff are, in plain words "
                                  "shown to citizens (e.g. 一楼大厅3号窗口，穿蓝色马甲的工作人员).")
    staff_hours: str = setting("工作日 9:00-12:00，14:00-17:30", remote=True, description="When staff are there, as shown.")
    call: Literal["none", "bell", "gpio", "video"] = setting(
        "none", description="How 呼叫工作人员 reaches staff: `bell` (serial bell below), `gpio` (line below), `video` "
                            "(video_url shown as a QR code to scan), `none` (only directions and 12348).")
    cooldown_s: float = setting(30.0, remote=True, ge=10.0, le=600.0,
                                description="Seconds after a call during which the "
                                                                     "button does not call again.")
    video_url: str = setting("", remote=True, pattern=r"^(https?://\S+)?$",
                             description="Video-call URL (https://…) for "
                             "call = \"video\".")
    bell: CallBellConfig = setting(factory=CallBellConfig)
    gpio: GpioCallConfig = setting(factory=GpioCallConfig)

    def __post_init__(self) -> None:
        if self.call == "video" and not self.video_url:
            raise ConfigInvalid([("handoff.video_url", "must be set when handoff.call is \"video\"")])


@dataclass(frozen=True)
class KioskConfig:
    """The whole effective configuration."""

    schema_version: int = setting(SCHEMA_VERSION, description="Version of this schema the file was written for.")
    kiosk: KioskIdentity = setting(factory=KioskIdentity)
    paths: PathsConfig = setting(factory=PathsConfig)
    ui: UiConfig = setting(factory=UiConfig)
    session: SessionConfig = setting(factory=SessionConfig)
    speech: SpeechConfig = setting(factory=SpeechConfig)
    maintenance: MaintenanceConfig = setting(factory=MaintenanceConfig)
    storage: StorageConfig = setting(factory=StorageConfig)
    logging: LoggingConfig = setting(factory=LoggingConfig)
    printer: PrinterConfig = setting(factory=PrinterConfig)
    printer_profiles: dict[str, PrinterProfile] = setting(remote=True, factory=_default_printer_profiles,
                                                        description="Printer models by name.")
    idcard: IdCardConfig = setting(factory=IdCardConfig)
    fleet: FleetConfig = setting(factory=FleetConfig)
    legal_aid: LegalAidConfig = setting(factory=LegalAidConfig)
    handoff: HandoffConfig = setting(factory=HandoffConfig)
