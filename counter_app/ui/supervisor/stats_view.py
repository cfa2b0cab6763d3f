"""The supervisor's statistics: a day, week or month, all counters or one; tables, charts, CSV export.

Everything shown comes from the reports of :class:`~counter_app.presenters.supervisor.SupervisorStats`
— counts, times and catalog ids (or their names); the statistics hold no personal data, so neither does
this view. The tables are the report's own ``csv_sections()`` (the same titles and columns as the CSV
file), the charts draw the same figures with QtCharts. The export (the presenter) writes
``report.to_csv()`` (UTF-8 with BOM, CRLF: Excel opens it with the Japanese intact) and audits it as a
statistics export.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.presenters.supervisor import STATS_DATABASE_DOWN, StatsQuery, StatsReport, SupervisorStats
from counter_app.ui.plain import PlainLabel

ALL_COUNTERS_LABEL = "すべての窓口"
DATABASE_DOWN_MESSAGE = STATS_DATABASE_DOWN
MAX_CHART_BARS = 15  # the rest stays in the table


class Period(enum.Enum):
    DAY = "日"
    WEEK = "週"
    MONTH = "月"

    def query(self, day: dt.date, counter: str | None) -> StatsQuery:
        match self:
            case Period.DAY:
                return StatsQuery.day(day, counter)
            case Period.WEEK:
                return StatsQuery.week(day, counter)
            case Period.MONTH:
                return StatsQuery.month(day, counter)


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}分"


def _bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    horizontal: bool = False,
    unit: str = "",
) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    bars = QHorizontalBarSeries() if horizontal else QBarSeries()
    top = 0.0
    for name, values in series:
        bar_set = QBarSet(name)
        for value in values:
            bar_set.append(float(value))
            top = max(top, float(value))
        bars.append(bar_set)
    chart.addSeries(bars)
    category_axis = QBarCategoryAxis()
    category_axis.append(list(categories))
    value_axis = QValueAxis()
    value_axis.setRange(0, max(1.0, top * 1.1))
    value_axis.setLabelFormat("%.0f" if not unit else "%.1f")
    if unit:
        value_axis.setTitleText(unit)
    if horizontal:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignBottom)
    else:
        chart.addAxis(category_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(value_axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(category_axis)
    bars.attachAxis(value_axis)
    chart.legend().setVisible(len(series) > 1)
    return chart


def _hour_range(by_hour: Sequence[int]) -> range:
    """Office hours (8–18 時) widened to every hour that had a visit."""
    busy = [hour for hour, count in enumerate(by_hour) if count]
    return range(min([8, *busy]), max([18, *busy]) + 1)


def charts_for(report: StatsReport) -> dict[str, QChart]:
    """The charts of one report, by title."""
    life_events = report.by_life_event[:MAX_CHART_BARS]
    procedures = report.by_procedure[:MAX_CHART_BARS]
    hours = _hour_range(report.by_hour)
    # A report for all counters has the median and percentile office-wide, the mean per counter.
    overall = report.handling
    handling_rows: list[tuple[str, float | None, float | None, float | None]] = [
        (report.query.counter or "全体", overall.median_s, overall.p90_s, overall.mean_s)
    ]
    if report.query.counter is None:
        handling_rows += [(r.counter, None, None, r.handling.mean_s) for r in report.by_counter]
    reasons: dict[str, int] = {}
    for row in report.deselections:
        reason = report.label(row.reason) or "(理由なし)"
        reasons[reason] = reasons.get(reason, 0) + row.count
    forms = sorted(report.forms, key=lambda r: -r.printed)[:MAX_CHART_BARS]
    return {
        "ライフイベント別": _bar_chart(
            "ライフイベント別の来庁者数と手続数",
            [report.label(r.life_event) for r in life_events],
            [
                ("来庁者数", [r.visits for r in life_events]),
                ("案内した手続数", [r.procedures_listed for r in life_events]),
            ],
            horizontal=True,
        ),
        "手続別": _bar_chart(
            "手続別(案内・選択)",
            [report.label(r.procedure_id) for r in procedures],
            [("案内", [r.listed for r in procedures]), ("選択", [r.chosen for r in procedures])],
            horizontal=True,
        ),
        "時間帯別": _bar_chart(
            "時間帯別の来庁者数(時台)",
            [str(hour) for hour in hours],
            [("来庁者数", [report.by_hour[hour] for hour in hours])],
        ),
        "処理時間": _bar_chart(
            "処理時間(完了した受付)",
            [row[0] for row in handling_rows],
            [
                ("中央値", [(row[1] or 0) / 60 for row in handling_rows]),
                ("90パーセンタイル", [(row[2] or 0) / 60 for row in handling_rows]),
                ("平均", [(row[3] or 0) / 60 for row in handling_rows]),
            ],
            unit="分",
        ),
        "申請書別": _bar_chart(
            "申請書別の印刷部数",
            [report.label(r.form_id) for r in forms],
            [("印刷(部)", [r.printed for r in forms]), ("再印刷(部)", [r.reprinted for r in forms])],
            horizontal=True,
        ),
        "選択解除の理由": _bar_chart(
            "選択解除の理由",
            list(reasons),
            [("件数", list(reasons.values()))],
            horizontal=True,
        ),
    }


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(header))
    table.setHorizontalHeaderLabels(list(header))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    header_view = table.horizontalHeader()
    header_view.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header_view.setStretchLastSection(True)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            item = QTableWidgetItem(str(cell))
            if isinstance(cell, int | float):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    return table


class StatsView(QWidget):
    """Statistics for the signed-in supervisor (the presenter knows who, for the export's audit entry)."""

    exported = Signal(str)  # the path written

    def __init__(
        self,
        stats: SupervisorStats,
        *,
        today: Callable[[], dt.date] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.presenter = stats
        zone = stats.zone
        self._today = today or (lambda: dt.datetime.now(zone).date())
        self.report: StatsReport | None = None
        self.tables: dict[str, QTableWidget] = {}
        self.charts: dict[str, QChart] = {}
        self.export_dialog: QFileDialog | None = None
        self._known_counters: set[str] = {stats.counter_name}

        self.period = QComboBox()
        for period in Period:
            self.period.addItem(period.value, period)
        self.period.setCurrentIndex(list(Period).index(Period.MONTH))
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        today_value = self._today()
        self.date.setDate(QDate(today_value.year, today_value.month, today_value.day))
        self.counter = QComboBox()
        self.counter.addItem(ALL_COUNTERS_LABEL, None)
        self.counter.addItem(stats.counter_name, stats.counter_name)
        self.refresh_button = QPushButton("更新")
        self.export_button = QPushButton("CSVに書き出す…")
        self.range_label = PlainLabel("")
        self.message = PlainLabel("")
        self.message.setObjectName("warning")
        self.message.setWordWrap(True)
        self.summary = PlainLabel("")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget()
        self._lay_out()

        self.period.currentIndexChanged.connect(self.refresh)
        self.date.dateChanged.connect(self.refresh)
        self.counter.currentIndexChanged.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.choose_export_file)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(PlainLabel("期間"))
        controls.addWidget(self.period)
        controls.addWidget(self.date)
        controls.addWidget(PlainLabel("窓口"))
        controls.addWidget(self.counter)
        controls.addWidget(self.refresh_button)
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.range_label)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)

    # --- the query -----------------------------------------------------------------------------
    def query(self) -> StatsQuery:
        period = self.period.currentData()
        assert isinstance(period, Period)
        day = self.date.date().toPython()
        assert isinstance(day, dt.date)
        counter = self.counter.currentData()
        return period.query(day, counter if isinstance(counter, str) else None)

    def refresh(self) -> None:
        query = self.query()
        self.range_label.setText(
            f"{query.start:%Y-%m-%d}〜{query.end:%Y-%m-%d}({query.counter or ALL_COUNTERS_LABEL})"
        )
        report = self.presenter.report(query)
        if isinstance(report, str):
            self._show_failure(report)
            return
        self.message.clear()
        self.show_report(report)

    def _show_failure(self, text: str) -> None:
        self.report = None
        self.message.setText(text)
        self.export_button.setEnabled(False)

    def show_report(self, report: StatsReport) -> None:
        self.report = report
        self.export_button.setEnabled(True)
        if report.query.counter is None:
            self._add_counters(row.counter for row in report.by_counter)
        h = report.handling
        self.summary.setText(
            f"来庁者数 {report.visits}人 / 完了 {report.completed}人 / "
            f"案内した手続 {report.procedures_listed}件(選択 {report.procedures_chosen}件)/ "
            f"印刷した申請書 {report.forms_printed}部 / 手書きを省いた文字数(推定){report.chars_avoided}字 / "
            f"処理時間 中央値 {_minutes(h.median_s)}・90パーセンタイル {_minutes(h.p90_s)}"
        )
        current = self.tabs.currentIndex()
        self.tabs.clear()
        self.tables = {}
        self.charts = charts_for(report)
        chart_tabs = {
            "ライフイベント別": "ライフイベント別",
            "手続別": "手続別",
            "時間帯別": "時間帯別",
            "申請書別の印刷": "申請書別",
            "選択解除の理由": "選択解除の理由",
            "概要": "処理時間",
        }
        for title, header, rows in report.csv_sections():
            table = _table(header, rows)
            self.tables[title] = table
            chart_key = chart_tabs.get(title)
            if chart_key is None:
                self.tabs.addTab(table, title)
                continue
            page = QWidget()
            grid = QGridLayout(page)
            view = QChartView(self.charts[chart_key])
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(260)
            grid.addWidget(view, 0, 0)
            grid.addWidget(table, 0, 1)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(1, 2)
            self.tabs.addTab(page, title)
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)

    def _add_counters(self, counters: Iterable[str]) -> None:
        for name in sorted(set(counters) - self._known_counters):
            self._known_counters.add(name)
            self.counter.blockSignals(True)
            self.counter.addItem(name, name)
            self.counter.blockSignals(False)

    # --- export --------------------------------------------------------------------------------
    def suggested_file_name(self) -> str:
        query = self.query()
        counter = f"_{query.counter}" if query.counter else ""
        return f"madoguchi_stats_{query.start:%Y%m%d}-{query.end:%Y%m%d}{counter}.csv"

    def choose_export_file(self) -> QFileDialog:
        """Open the save dialog (window-modal, not blocking); the chosen file is written on accept."""
        dialog = QFileDialog(self, "統計をCSVに書き出す")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter("CSV(Excelで開けます) (*.csv)")
        dialog.setDefaultSuffix("csv")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setDirectory(str(Path.home()))
        dialog.selectFile(self.suggested_file_name())
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> bool:
        """Write the shown report as CSV to ``path`` (the presenter writes it atomically and audits it)."""
        report = self.report
        if report is None:
            self.message.setText("書き出す統計がありません。")
            return False
        failure = self.presenter.export(report, path)
        if failure:
            self.message.setText(failure)
            return False
        self.message.setText("")
        self.range_label.setText(f"{self.range_label.text()} — {path.name} に書き出しました")
        self.exported.emit(str(path))
        return True
