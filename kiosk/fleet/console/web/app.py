"""`kiosk fleet web`: the operators' console as a Starlette application (pages rendered with Jinja2).

Why server-rendered pages and a little JavaScript: the bureau's offices run whatever browser the PC came with, on
1366x768 screens and tablets; plain forms work everywhere, and each action is a POST that carries the session's
form token (CSRF), is checked against the operator's role and written to the audit log before it is carried out.
The store is reached through `ConsoleDB.call` on Starlette's thread pool; commands and configurations go out
through `control`, exactly as `kiosk fleet cmd|config` send them. Nothing about citizens is shown: telemetry
carries none.
"""

from __future__ import annotations

import difflib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from kiosk.core.clock import Clock
from kiosk.core.errors import KioskError
from kiosk.fleet.console import alerts, control, report
from kiosk.fleet.console.database import ConsoleDB
from kiosk.fleet.console.server import BrokerSettings
from kiosk.fleet.console.settings import ConsoleSettings, ContentSource
from kiosk.fleet.console.web import auth, commands, export, queries, throttle, timeline, verify

HERE = Path(__file__).parent
SESSION_COOKIE, LOGIN_COOKIE = "kiosk_console", "kiosk_console_login"
REPORT_BY = {"region": "按区域", "kiosk": "按终端", "topic": "按咨询主题", "group": "按特殊群体"}
STATE_FILTERS = ("在线", "重连中", "离线", "缺纸或纸将尽", "读卡器故障", "有告警")
VALIDATION_ENVIRON = {"KIOSK_CONFIG_FILE": "/nonexistent/kiosk.toml",
                      "KIOSK_OVERRIDES_FILE": "/nonexistent/overrides.toml"}
"""A configuration is checked as the fleet layer over the schema's defaults, as a kiosk without files would."""

Handler = Callable[[Request, auth.Session, FormData | None], Awaitable[Response]]


def _period(params) -> tuple[date, date, str]:
    """First and last day of the report period asked for (month=YYYY-MM, quarter=YYYY-Qn, or from/to), and its
    label; this month when none is given. ValueError for a malformed one."""
    if params.get("from") and params.get("to"):
        first, last = date.fromisoformat(params["from"]), date.fromisoformat(params["to"])
        if last < first:
            raise ValueError("结束日期早于开始日期")
        return first, last, f"{first.isoformat()} 至 {last.isoformat()}"
    if params.get("quarter"):
        year, quarter = params["quarter"].split("-Q")
        first = date(int(year), 3 * int(quarter) - 2, 1)
        end = date(int(year) + (quarter == "4"), 1 if quarter == "4" else 3 * int(quarter) + 1, 1)
        return first, end - timedelta(days=1), f"{year} 年第 {quarter} 季度"
    month = params.get("month") or date.today().strftime("%Y-%m")
    first = date.fromisoformat(f"{month}-01")
    end = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return first, end - timedelta(days=1), f"{first.year} 年 {first.month} 月"


def _diff(before: dict, after: dict, kid: str) -> str:
    def lines(document: dict) -> list[str]:
        return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).splitlines(keepends=True)

    return "".join(difflib.unified_diff(lines(before), lines(after), f"{kid} 当前", f"{kid} 新配置"))


def _packs(source: ContentSource) -> list[str]:
    """The pack files an administrator may roll out (names in `packs_dir`, nothing outside it)."""
    folder = Path(source.packs_dir) if source.packs_dir else None
    return sorted(p.name for p in folder.glob("*.tar.gz") if p.is_file()) if folder and folder.is_dir() else []


def build_app(db: ConsoleDB, broker: BrokerSettings, clock: Clock,
              settings: ConsoleSettings = ConsoleSettings()) -> Starlette:
    """The console application on an open store; `broker` is where commands, configurations and jobs are
    published; `settings.content` says which packs may be rolled out and signs them."""
    from kiosk.legal.loader import load_topics
    from kiosk.legal.service import DEFAULT_CONTENT_ROOT

    # topics as the packaged content pack names them (one it lacks shows as its id), as `kiosk fleet report` does
    topic_names = {topic.id: topic.name for topic in load_topics(DEFAULT_CONTENT_ROOT).values()}
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["when"] = lambda ms: alerts.when(ms) if ms else "—"
    templates.env.globals.update(role_names=auth.ROLE_NAMES, command_label=commands.label,
                                 command_reply=commands.reply)

    def now_ms() -> int:
        return int(clock.now().timestamp() * 1000)

    async def call(fn):
        return await run_in_threadpool(db.call, fn)

    def page(request: Request, name: str, user: auth.Session | None, status_code: int = 200, **context) -> Response:
        return templates.TemplateResponse(request, name, {"user": user, **context}, status_code=status_code)

    def refused(request: Request, user: auth.Session | None, status_code: int, message: str) -> Response:
        return page(request, "error.html", user, status_code, message=message)

    def guarded(role: str) -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
        """The page needs a live session with `role`; a POST also needs the session's form token."""
        def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
            async def endpoint(request: Request) -> Response:
                at = now_ms()
                user = await call(lambda c: auth.session(c, request.cookies.get(SESSION_COOKIE), at))
                if user is None:
                    if request.method == "GET":
                        return RedirectResponse("/login?" + urlencode({"next": request.url.path}), 303)
                    return refused(request, None, 401, "登录已失效，请重新登录。")
                form = None
                if request.method == "POST":
                    form = await request.form()
                    if not hmac.compare_digest(str(form.get("csrf", "")), user.csrf):
                        await call(lambda c: auth.record(c, user.username, "csrf_refused", request.url.path, "", at))
                        return refused(request, user, 403, "表单已失效（缺少或错误的防伪令牌），请刷新页面后重试。")
                if not user.may(role):
                    await call(lambda c: auth.record(c, user.username, "role_refused", request.url.path,
                                                     f"needs {role}", at))
                    return refused(request, user, 403, f"您的角色（{auth.ROLE_NAMES[user.role]}）无权进行此操作。")
                return await handler(request, user, form)
            return endpoint
        return wrap

    async def login(request: Request) -> Response:
        target = request.query_params.get("next", "/")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        if request.method == "GET":
            token = secrets.token_urlsafe(24)
            response = page(request, "login.html", None, login_token=token, next=target)
            response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
            return response
        form = await request.form()
        if not hmac.compare_digest(str(form.get("login_token", "")), request.cookies.get(LOGIN_COOKIE, "-")):
            return refused(request, None, 403, "登录表单已失效，请刷新页面后重试。")
        username, password, at = str(form.get("username", "")), str(form.get("password", "")), now_ms()
        address = request.client.host if request.client else "-"
        attempt = throttle.keys(username, address)
        lock = await call(lambda c: throttle.locked(c, attempt, at))
        if lock is None and await run_in_threadpool(db.call, lambda c: auth.check_password(c, username, password)):
            token = await call(lambda c: (throttle.succeeded(c, username), auth.open_session(c, username, at))[1])
        else:
            action = "login_throttled" if lock else "login_failed"
            failures = {} if lock else await call(lambda c: throttle.failed(c, attempt, at))
            lock = lock or await call(lambda c: throttle.locked(c, attempt, at))
            detail = f"{lock.kind} locked after {lock.failures} failures" if lock else f"failures in a row: {failures}"
            await call(lambda c: auth.record(c, username[:throttle.NAME_MAX_CHARS], action, address, detail, at))
            token = secrets.token_urlsafe(24)
            error = throttle.notice(lock, at) if lock else "用户名或密码不正确。" + throttle.warning(failures)
            response = page(request, "login.html", None, 429 if lock else 401, login_token=token, next=target,
                            error=error)
            response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
            if lock:
                response.headers["Retry-After"] = str(-(-(lock.until_ms - at) // 1000))
            return response
        await call(lambda c: auth.record(c, username, "login", address, "", at))
        response = RedirectResponse(target, 303)
        response.set_cookie(SESSION_COOKIE, token, max_age=auth.SESSION_TTL_S, httponly=True, samesite="lax",
                            secure=request.url.scheme == "https")
        response.delete_cookie(LOGIN_COOKIE)
        return response

    @guarded("viewer")
    async def logout(request: Request, user: auth.Session, _form) -> Response:
        at = now_ms()
        await call(lambda c: auth.close_session(c, request.cookies.get(SESSION_COOKIE, "")))
        await call(lambda c: auth.record(c, user.username, "logout", "", "", at))
        response = RedirectResponse("/login", 303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @guarded("viewer")
    async def overview(request: Request, user: auth.Session, _form) -> Response:
        at = now_ms()
        rows, open_alerts = await call(lambda c: queries.overview(c, at))
        region, state = request.query_params.get("region", ""), request.query_params.get("state", "")
        shown = [row for row in rows if (not region or row["region"] == region) and (
            not state or row["presence"] == state or (state == "缺纸或纸将尽" and not row["paper_ok"])
            or (state == "读卡器故障" and not row["reader_ok"]) or (state == "有告警" and row["open_alerts"]))]
        return page(request, "overview.html", user, rows=shown, counts=queries.counts(rows),
                    regions=sorted({row["region"] for row in rows}), region=region, state=state,
                    states=STATE_FILTERS, open_alerts=open_alerts, labels=alerts.LABELS)

    @guarded("viewer")
    async def terminal(request: Request, user: auth.Session, _form) -> Response:
        kid, at = request.path_params["kid"], now_ms()
        days = timeline.period(request.query_params.get("days"))
        found = await call(lambda c: queries.terminal(c, kid, at, days))
        if found is None:
            return refused(request, user, 404, f"没有终端 {kid} 的记录。")
        pending = any(cmd["phase"] != "final" and cmd["expires_ms"] > at for cmd in found["commands"])
        return page(request, "terminal.html", user, k=found, pending=pending, offered=commands.offered_to(found["hw"]),
                    history=timeline.view(found["history"], days, at),
                    sent=request.query_params.get("sent", ""), error=request.query_params.get("error", ""))

    @guarded("operator")
    async def command(request: Request, user: auth.Session, form: FormData) -> Response:
        kid, at = request.path_params["kid"], now_ms()
        offered = commands.OFFERED.get(str(form.get("name", "")))
        if offered is None:
            return refused(request, user, 400, "不允许的命令。")
        try:
            sent = await run_in_threadpool(control.send_command, db, broker, clock, kid, offered.name,
                                           dict(offered.args))
        except KioskError as exc:
            reason = str(exc)
            await call(lambda c: auth.record(c, user.username, "command_failed", kid,
                                             f"{commands.audit_detail(offered, '-')}: {reason}", at))
            return RedirectResponse(f"/kiosk/{quote(kid)}?" + urlencode({"error": reason}), 303)
        await call(lambda c: auth.record(c, user.username, "command", kid, commands.audit_detail(offered, sent.id), at))
        return RedirectResponse(f"/kiosk/{quote(kid)}?sent={sent.id}#commands", 303)

    def _report_params(request: Request):
        params = request.query_params
        by = params.get("by", "region")
        if by not in REPORT_BY:
            raise ValueError("未知的统计维度")
        return (*_period(params), by)

    @guarded("viewer")
    async def reports(request: Request, user: auth.Session, _form) -> Response:
        try:
            first, last, label, by = _report_params(request)
        except ValueError as exc:
            return refused(request, user, 400, f"统计期间或维度有误：{exc}")
        table = await call(lambda c: report.build(c, first, last, by, topic_names))
        metrics = list(range(1, min(len(table.header), 1 + report.CHART_COLUMNS)))
        chart = {"categories": [str(row[0]) for row in table.rows[:-1]],
                 "series": [{"name": table.header[i], "data": [row[i] for row in table.rows[:-1]]} for i in metrics]}
        query = urlencode({k: v for k, v in request.query_params.items()})
        return page(request, "reports.html", user, table=table, chart=chart, label=label, by=by, by_names=REPORT_BY,
                    params=request.query_params, query=query)

    @guarded("viewer")
    async def report_export(request: Request, user: auth.Session, _form) -> Response:
        try:
            first, last, label, by = _report_params(request)
        except ValueError as exc:
            return refused(request, user, 400, f"统计期间或维度有误：{exc}")
        kind, at = request.query_params.get("format", "xlsx"), now_ms()
        if kind not in ("xlsx", "csv"):
            return refused(request, user, 400, "导出格式只能是 xlsx 或 csv。")
        table = await call(lambda c: report.build(c, first, last, by, topic_names))
        await call(lambda c: auth.record(c, user.username, "export", f"{first}..{last}", f"{by} {kind}", at))
        body = export.to_xlsx(table) if kind == "xlsx" else export.to_csv(table)
        filename = f"统计报表_{first.isoformat()}_{last.isoformat()}_{by}.{kind}"
        return Response(body, media_type=export.XLSX_TYPE if kind == "xlsx" else export.CSV_TYPE, headers={
            "Content-Disposition": f"attachment; filename=\"report.{kind}\"; filename*=UTF-8''{quote(filename)}"})

    async def _targets(form: FormData) -> list[str]:
        if form.get("region"):
            region = str(form["region"])
            return await call(lambda c: queries.kiosks_of(c, region))
        return [kid for kid in str(form.get("kids", "")).replace(",", " ").split() if kid]

    async def config_page(request: Request, user: auth.Session, status_code: int = 200, **context) -> Response:
        return page(request, "config.html", user, status_code, regions=await call(queries.regions),
                    rollout=await call(queries.rollout), jobs=await call(queries.job_rollout),
                    packs=_packs(settings.content), **context)

    @guarded("viewer")
    async def config(request: Request, user: auth.Session, _form) -> Response:
        return await config_page(request, user, published=request.query_params.get("published", ""),
                                 started=request.query_params.get("started", ""))

    @guarded("administrator")
    async def config_preview(request: Request, user: auth.Session, form: FormData) -> Response:
        from kiosk.fleet.desired import DesiredRejected, preview

        text = str(form.get("document", ""))
        targets = await _targets(form)
        errors: list[str] = []
        document: dict = {}
        try:
            document = json.loads(text)
            if not isinstance(document, dict):
                raise ValueError("配置必须是一个 JSON 对象")
            preview(document, VALIDATION_ENVIRON)
        except (ValueError, DesiredRejected) as exc:
            errors = getattr(exc, "errors", None) or [str(exc)]
        if not targets:
            errors.append("请选择区域或填写终端编号。")
        current = await call(lambda c: queries.desired_configs(c, targets)) if targets else {}
        diffs = {kid: _diff(before, document, kid) for kid, before in current.items()} if not errors else {}
        return await config_page(request, user, 400 if errors else 200, text=text, targets=targets, errors=errors,
                                 diffs=diffs, region=form.get("region", ""), kids=form.get("kids", ""))

    @guarded("administrator")
    async def config_publish(request: Request, user: auth.Session, form: FormData) -> Response:
        from kiosk.fleet.desired import DesiredRejected, preview

        at = now_ms()
        try:
            document = json.loads(str(form.get("document", "")))
            preview(document, VALIDATION_ENVIRON)
        except (ValueError, DesiredRejected, AttributeError) as exc:
            return refused(request, user, 400, f"配置未通过检查：{exc}")
        targets = [kid for kid in str(form.get("targets", "")).split() if kid]
        published = []
        for kid in targets:
            try:
                sent = await run_in_threadpool(control.send_desired, db, broker, clock, kid, document)
            except KioskError as exc:
                await call(lambda c, k=kid, e=exc: auth.record(c, user.username, "config_failed", k, str(e), at))
                continue
            published.append(kid)
            await call(lambda c, k=kid, v=sent.version: auth.record(
                c, user.username, "config", k, f"version {v}: {json.dumps(document, ensure_ascii=False)[:500]}", at))
        return RedirectResponse("/config?" + urlencode({"published": " ".join(published)}), 303)

    @guarded("administrator")
    async def content_start(request: Request, user: auth.Session, form: FormData) -> Response:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        pack, version, at = str(form.get("pack", "")), str(form.get("version", "")).strip(), now_ms()
        targets = await _targets(form)
        if pack not in _packs(settings.content) or not version or not targets:
            return await config_page(request, user, 400, job_errors=["请选择内容包、填写版本号，并选择区域或终端。"])
        try:
            key = load_pem_private_key(Path(settings.content.signing_key).read_bytes(), password=None)
        except (OSError, ValueError) as exc:
            return await config_page(request, user, 500, job_errors=[f"签名密钥无法读取：{exc}"])
        job_id = "content-" + version.replace(".", "-")
        started = []
        for kid in targets:
            try:
                job = await run_in_threadpool(lambda k=kid: control.send_job(
                    db, broker, clock, k, job_id=job_id, version=version, pack=Path(settings.content.packs_dir) / pack,
                    url=settings.content.base_url + quote(pack), signing_key=key))
            except KioskError as exc:
                await call(lambda c, k=kid, e=str(exc): auth.record(c, user.username, "job_failed", k, e, at))
                continue
            started.append(kid)
            await call(lambda c, k=kid, j=job: auth.record(c, user.username, "job", k,
                                                          f"{j.job} exec {j.exec_ver}: {pack} {version}", at))
        return RedirectResponse("/config?" + urlencode({"started": " ".join(started)}), 303)

    @guarded("administrator")
    async def audit_log(request: Request, user: auth.Session, _form) -> Response:
        return page(request, "audit.html", user, rows=await call(lambda c: auth.audit_rows(c, 500)))

    routes = [
        Route("/login", login, methods=["GET", "POST"]), Route("/logout", logout, methods=["POST"]),
        Route("/", overview), Route("/kiosk/{kid}", terminal), Route("/kiosk/{kid}/command", command, methods=["POST"]),
        Route("/reports", reports), Route("/reports/export", report_export), Route("/config", config),
        Route("/config/preview", config_preview, methods=["POST"]),
        Route("/config/publish", config_publish, methods=["POST"]),
        Route("/content/start", content_start, methods=["POST"]), Route("/audit", audit_log),
        *verify.routes(templates, clock, verify.ProvisionTexts(DEFAULT_CONTENT_ROOT)),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes)
