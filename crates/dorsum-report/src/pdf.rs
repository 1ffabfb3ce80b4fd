//! The report as a PDF, made in-process with printpdf and the PDF base-14 Helvetica fonts (nothing
//! embedded, nothing read from disk). A small flowing layout: headings, wrapped paragraphs, tables whose
//! rows never split across pages (the header repeats), a line chart drawn with lines and squares, and a
//! footer on every page.

use crate::html::{percent, score};
use crate::metrics::{width, win_ansi, wrap};
use crate::report::{CheckSource, Gist, PlanSummary, Report, level_short};
use jiff::civil::Date;
use printpdf::{
    BuiltinFont, Color, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem, WindingOrder,
};

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const LEFT: f32 = 42.0;
const RIGHT: f32 = PAGE_W - 42.0;
const TOP: f32 = PAGE_H - 36.0;
const BOTTOM: f32 = 44.0;
const BODY: f32 = 8.6;
const SMALL: f32 = 7.3;
const LEADING: f32 = 1.25;

type Rgb3 = (f32, f32, f32);
const INK: Rgb3 = (0.07, 0.09, 0.15);
const GREY: Rgb3 = (0.36, 0.39, 0.45);
const RULE: Rgb3 = (0.82, 0.84, 0.86);
const HEAD_BG: Rgb3 = (0.95, 0.96, 0.97);
const RED: Rgb3 = (0.73, 0.11, 0.11);
const GREEN: Rgb3 = (0.08, 0.50, 0.24);
const AMBER: Rgb3 = (0.63, 0.38, 0.03);
const BLUE: Rgb3 = (0.15, 0.39, 0.92);

fn rgb((r, g, b): Rgb3) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn pt(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
}

/// Border and background of the triage box.
fn level_colours(level: &str) -> (Rgb3, Rgb3) {
    match level {
        "emergency_ambulance" | "emergency" => (RED, (0.996, 0.949, 0.949)),
        "consultation_24" => ((0.76, 0.25, 0.05), (1.0, 0.97, 0.93)),
        "consultation" => (AMBER, (0.996, 0.988, 0.91)),
        "self_care" => (GREEN, (0.94, 0.99, 0.96)),
        _ => (GREY, HEAD_BG),
    }
}

/// A styled run of text for a table cell.
#[derive(Clone)]
struct Cell {
    text: String,
    bold: bool,
    colour: Rgb3,
    size: f32,
    /// Small grey text under the main text.
    detail: Option<String>,
}

/// One laid-out line of a cell.
struct CellLine {
    text: String,
    size: f32,
    bold: bool,
    colour: Rgb3,
}

impl Cell {
    fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            bold: false,
            colour: INK,
            size: BODY,
            detail: None,
        }
    }
    fn detail(mut self, d: Option<String>) -> Cell {
        self.detail = d;
        self
    }
    /// The cell's lines within `max` points.
    fn lines(&self, max: f32) -> Vec<CellLine> {
        let mut out: Vec<CellLine> = wrap(&win_ansi(&self.text), self.size, self.bold, max)
            .into_iter()
            .map(|text| CellLine {
                text,
                size: self.size,
                bold: self.bold,
                colour: self.colour,
            })
            .collect();
        if let Some(d) = &self.detail {
            out.extend(
                wrap(&win_ansi(d), SMALL, false, max)
                    .into_iter()
                    .map(|text| CellLine {
                        text,
                        size: SMALL,
                        bold: false,
                        colour: GREY,
                    }),
            );
        }
        out
    }
    fn bold(text: impl Into<String>) -> Cell {
        Cell {
            bold: true,
            ..Cell::plain(text)
        }
    }
    fn colour(mut self, c: Rgb3) -> Cell {
        self.colour = c;
        self
    }
}

/// Column: header, share of the width, right-aligned.
struct Col {
    header: &'static str,
    share: f32,
    right: bool,
}

const fn col(header: &'static str, share: f32) -> Col {
    Col {
        header,
        share,
        right: false,
    }
}

const fn num(header: &'static str, share: f32) -> Col {
    Col {
        header,
        share,
        right: true,
    }
}

struct Writer {
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Top of the free space on the current page.
    y: f32,
}

impl Writer {
    fn new() -> Writer {
        Writer {
            pages: Vec::new(),
            ops: Vec::new(),
            y: TOP,
        }
    }

    fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        self.y = TOP;
    }

    /// Start a new page unless `h` points fit.
    fn ensure(&mut self, h: f32) {
        if self.y - h < BOTTOM {
            self.new_page();
        }
    }

    fn text_at(&mut self, x: f32, baseline: f32, s: &str, size: f32, bold: bool, colour: Rgb3) {
        let font = if bold {
            BuiltinFont::HelveticaBold
        } else {
            BuiltinFont::Helvetica
        };
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(colour) },
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: pt(x, baseline),
            },
            Op::ShowText {
                items: vec![TextItem::Text(win_ansi(s))],
            },
            Op::EndTextSection,
        ]);
    }

    fn fill_rect(&mut self, x: f32, top: f32, w: f32, h: f32, colour: Rgb3) {
        self.ops.extend([
            Op::SetFillColor { col: rgb(colour) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(top - h),
                    width: Pt(w),
                    height: Pt(h),
                    mode: Some(PaintMode::Fill),
                    winding_order: Some(WindingOrder::NonZero),
                },
            },
        ]);
    }

    fn stroke_rect(&mut self, x: f32, top: f32, w: f32, h: f32, colour: Rgb3, thickness: f32) {
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(colour) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: Pt(x),
                    y: Pt(top - h),
                    width: Pt(w),
                    height: Pt(h),
                    mode: Some(PaintMode::Stroke),
                    winding_order: Some(WindingOrder::NonZero),
                },
            },
        ]);
    }

    fn line(&mut self, points: &[(f32, f32)], colour: Rgb3, thickness: f32, dash: Option<&[f32]>) {
        if points.len() < 2 {
            return;
        }
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(colour) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::SetLineDashPattern {
                dash: dash.map_or_else(LineDashPattern::solid, |d| LineDashPattern::new(0.0, d)),
            },
            Op::DrawLine {
                line: Line {
                    points: points
                        .iter()
                        .map(|&(x, y)| LinePoint {
                            p: pt(x, y),
                            bezier: false,
                        })
                        .collect(),
                    is_closed: false,
                },
            },
            Op::SetLineDashPattern {
                dash: LineDashPattern::solid(),
            },
        ]);
    }

    fn rule(&mut self, y: f32, colour: Rgb3, thickness: f32) {
        self.line(&[(LEFT, y), (RIGHT, y)], colour, thickness, None);
    }

    /// A wrapped paragraph from `x` to the right margin; lines flow onto new pages.
    fn paragraph(&mut self, s: &str, size: f32, bold: bool, colour: Rgb3, x: f32) {
        let lead = size * LEADING;
        for line in wrap(&win_ansi(s), size, bold, RIGHT - x) {
            self.ensure(lead);
            self.text_at(x, self.y - size, &line, size, bold, colour);
            self.y -= lead;
        }
        self.y -= 1.5;
    }

    fn bullet(&mut self, s: &str, size: f32, colour: Rgb3) {
        let lead = size * LEADING;
        let lines = wrap(&win_ansi(s), size, false, RIGHT - LEFT - 12.0);
        for (i, line) in lines.iter().enumerate() {
            self.ensure(lead);
            if i == 0 {
                self.text_at(LEFT + 3.0, self.y - size, "-", size, false, colour);
            }
            self.text_at(LEFT + 12.0, self.y - size, line, size, false, colour);
            self.y -= lead;
        }
        self.y -= 1.0;
    }

    /// A section heading, kept with at least `keep` points of what follows.
    fn heading(&mut self, s: &str, keep: f32) {
        self.y -= 4.0;
        self.ensure(21.0 + keep);
        self.text_at(LEFT, self.y - 11.0, s, 11.0, true, INK);
        self.y -= 14.0;
        self.rule(self.y, RULE, 0.6);
        self.y -= 4.0;
    }

    fn subheading(&mut self, s: &str, keep: f32) {
        self.y -= 2.0;
        self.ensure(14.0 + keep);
        self.text_at(LEFT, self.y - BODY, s, BODY, true, INK);
        self.y -= BODY * LEADING + 2.0;
    }

    /// A table; a row never splits across pages and the header repeats on a new page.
    fn table(&mut self, cols: &[Col], rows: &[Vec<Cell>]) {
        let total: f32 = cols.iter().map(|c| c.share).sum();
        let widths: Vec<f32> = cols
            .iter()
            .map(|c| c.share / total * (RIGHT - LEFT))
            .collect();
        let pad = 2.5;
        let header_h = SMALL * LEADING + 2.0 * pad;
        let draw_header = |w: &mut Writer| {
            w.fill_rect(LEFT, w.y, RIGHT - LEFT, header_h, HEAD_BG);
            let mut x = LEFT;
            for (c, cw) in cols.iter().zip(&widths) {
                let tx = if c.right {
                    x + cw - pad - width(c.header, SMALL, true)
                } else {
                    x + pad
                };
                w.text_at(tx, w.y - pad - SMALL, c.header, SMALL, true, INK);
                x += cw;
            }
            w.y -= header_h;
        };
        let laid: Vec<(Vec<Vec<CellLine>>, f32)> = rows
            .iter()
            .map(|row| {
                let cells: Vec<Vec<CellLine>> = row
                    .iter()
                    .zip(&widths)
                    .map(|(cell, cw)| cell.lines(cw - 2.0 * pad))
                    .collect();
                let h = cells
                    .iter()
                    .map(|lines| lines.iter().map(|l| l.size * LEADING).sum::<f32>())
                    .fold(0.0, f32::max)
                    + 2.0 * pad;
                (cells, h)
            })
            .collect();
        let first = laid.first().map_or(0.0, |(_, h)| *h);
        self.ensure(header_h + first);
        draw_header(self);
        for (cells, h) in &laid {
            if self.y - h < BOTTOM {
                self.new_page();
                draw_header(self);
            }
            let mut x = LEFT;
            for (lines, (c, cw)) in cells.iter().zip(cols.iter().zip(&widths)) {
                let mut top = self.y - pad;
                for line in lines {
                    let tx = if c.right {
                        x + cw - pad - width(&line.text, line.size, line.bold)
                    } else {
                        x + pad
                    };
                    self.text_at(
                        tx,
                        top - line.size,
                        &line.text,
                        line.size,
                        line.bold,
                        line.colour,
                    );
                    top -= line.size * LEADING;
                }
                x += cw;
            }
            self.y -= h;
            self.rule(self.y, RULE, 0.4);
        }
        self.y -= 6.0;
    }

    /// Put a footer on every page and make the document.
    fn finish(mut self, title: &str, footer: &str, trace: &str) -> Vec<u8> {
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let n = self.pages.len();
        let pages: Vec<PdfPage> = std::mem::take(&mut self.pages)
            .into_iter()
            .enumerate()
            .map(|(i, mut ops)| {
                let mut w = Writer::new();
                w.line(&[(LEFT, 32.0), (RIGHT, 32.0)], RULE, 0.5, None);
                w.text_at(LEFT, 23.0, footer, SMALL, false, GREY);
                w.text_at(LEFT, 14.0, trace, 6.5, false, GREY);
                let page = format!("Page {} of {n}", i + 1);
                w.text_at(
                    RIGHT - width(&page, SMALL, false),
                    23.0,
                    &page,
                    SMALL,
                    false,
                    GREY,
                );
                ops.extend(w.ops);
                PdfPage::new(Mm(210.0), Mm(297.0), ops)
            })
            .collect();
        let mut doc = PdfDocument::new(&win_ansi(title));
        doc.metadata.info.creator = "Dorsum".to_string();
        doc.metadata.info.producer = "Dorsum (printpdf)".to_string();
        doc.with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut Vec::new())
    }
}

/// Day `d` as "3 Mar".
fn short(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {}", d.day(), MONTHS[(d.month() - 1) as usize])
}

/// One series of the chart.
struct Series<'a> {
    label: &'a str,
    colour: Rgb3,
    dash: Option<&'a [f32]>,
    points: Vec<(Date, f64)>,
}

impl Report {
    /// The report as PDF bytes (A4; one or two pages for a typical diary).
    pub fn to_pdf(&self) -> Vec<u8> {
        let mut w = Writer::new();

        // Title block.
        w.text_at(
            LEFT,
            w.y - 16.0,
            "Back pain report for the clinician",
            16.0,
            true,
            INK,
        );
        w.y -= 22.0;
        w.paragraph(
            &format!(
                "Made by Dorsum on {} from the assessment of {} (the footer names the assessment and knowledge base).",
                self.generated_on, self.assessed_on
            ),
            SMALL,
            false,
            GREY,
            LEFT,
        );
        w.y -= 2.0;
        let person = [
            ("Age", self.age.to_string()),
            ("Sex", self.sex.clone()),
            (
                "Pain region",
                self.region.clone().unwrap_or_else(|| "-".into()),
            ),
        ];
        let mut x = LEFT;
        for (k, v) in &person {
            w.text_at(x, w.y - 10.0, k, 10.0, false, GREY);
            let kx = x + width(k, 10.0, false) + 4.0;
            w.text_at(kx, w.y - 10.0, v, 10.0, true, INK);
            x = kx + width(v, 10.0, true) + 22.0;
        }
        w.y -= 16.0;

        // In their words.
        w.heading("In their words", 24.0);
        let quote_lines = wrap(&win_ansi(&self.complaint), BODY, false, RIGHT - LEFT - 16.0);
        let qh = quote_lines.len() as f32 * BODY * LEADING + 8.0;
        w.ensure(qh);
        w.fill_rect(LEFT, w.y, RIGHT - LEFT, qh, HEAD_BG);
        w.fill_rect(LEFT, w.y, 3.0, qh, GREY);
        let mut baseline = w.y - 4.0 - BODY;
        for line in &quote_lines {
            w.text_at(LEFT + 10.0, baseline, line, BODY, false, INK);
            baseline -= BODY * LEADING;
        }
        w.y -= qh + 2.0;

        // Triage box.
        w.heading("Triage", 40.0);
        let (border, bg) = level_colours(&self.level);
        let inner = RIGHT - LEFT - 16.0;
        let title = format!("{} ({})", self.level_label, self.level);
        let title_lines = wrap(&win_ansi(&title), 11.0, true, inner);
        let action_lines = self
            .action
            .as_deref()
            .map_or(Vec::new(), |a| wrap(&win_ansi(a), BODY, false, inner));
        let reason_lines: Vec<Vec<String>> = self
            .reasons
            .iter()
            .map(|r| wrap(&win_ansi(r), BODY, false, inner - 10.0))
            .collect();
        let body_lines = action_lines.len()
            + reason_lines.iter().map(Vec::len).sum::<usize>()
            + usize::from(!self.reasons.is_empty());
        let bh =
            title_lines.len() as f32 * 11.0 * LEADING + body_lines as f32 * BODY * LEADING + 10.0;
        w.ensure(bh);
        let top = w.y;
        w.fill_rect(LEFT, top, RIGHT - LEFT, bh, bg);
        w.stroke_rect(LEFT, top, RIGHT - LEFT, bh, border, 1.5);
        let mut y = top - 5.0;
        for l in &title_lines {
            w.text_at(LEFT + 8.0, y - 11.0, l, 11.0, true, border);
            y -= 11.0 * LEADING;
        }
        for l in &action_lines {
            w.text_at(LEFT + 8.0, y - BODY, l, BODY, false, INK);
            y -= BODY * LEADING;
        }
        if !self.reasons.is_empty() {
            w.text_at(LEFT + 8.0, y - BODY, "Why:", BODY, true, INK);
            y -= BODY * LEADING;
            for lines in &reason_lines {
                for (i, l) in lines.iter().enumerate() {
                    if i == 0 {
                        w.text_at(LEFT + 10.0, y - BODY, "-", BODY, false, INK);
                    }
                    w.text_at(LEFT + 18.0, y - BODY, l, BODY, false, INK);
                    y -= BODY * LEADING;
                }
            }
        }
        w.y = top - bh - 4.0;

        // Red flags.
        w.heading("Red flags asked and answered", 40.0);
        w.paragraph(&self.interview_line(), SMALL, false, GREY, LEFT);
        if self.red_flags_fired.is_empty() {
            w.paragraph("No red-flag rule fired.", BODY, false, INK, LEFT);
        } else if self.red_flags_in_reasons() {
            w.paragraph(
                &format!(
                    "Red-flag rules that fired: {} (their words are under Triage).",
                    self.red_flags_fired.len()
                ),
                BODY,
                true,
                RED,
                LEFT,
            );
        } else {
            w.paragraph("Red-flag rules that fired:", BODY, true, RED, LEFT);
            for r in &self.red_flags_fired {
                w.bullet(r, BODY, RED);
            }
        }
        if self.red_flag_checks.is_empty() {
            w.paragraph(
                "No warning sign was asked about or mentioned.",
                BODY,
                false,
                INK,
                LEFT,
            );
        } else {
            let rows: Vec<Vec<Cell>> = self
                .red_flag_checks
                .iter()
                .map(|c| {
                    let colour = match c.gist {
                        Gist::Yes => RED,
                        Gist::No => GREEN,
                        Gist::Unsure => AMBER,
                    };
                    let asked = match c.source {
                        CheckSource::Interview => c.question.clone(),
                        CheckSource::Words => c.question.clone(),
                    };
                    vec![
                        Cell::plain(asked).detail(
                            c.level
                                .as_deref()
                                .map(|l| format!("A yes could mean: {}", level_short(l))),
                        ),
                        Cell::bold(c.answer.clone())
                            .colour(colour)
                            .detail(c.detail.clone()),
                    ]
                })
                .collect();
            w.table(
                &[
                    col("Asked, or said in their words", 0.34),
                    col("Answer (negatives included)", 0.66),
                ],
                &rows,
            );
        }

        // Differential.
        w.heading("Differential", 40.0);
        if self.differential.is_empty() {
            w.paragraph("No conditions were ranked.", BODY, false, INK, LEFT);
        } else {
            let rows: Vec<Vec<Cell>> = self
                .differential
                .iter()
                .map(|d| {
                    // The clinical name for the clinician (the lay name is in the HTML report).
                    let name = d
                        .clinical_name
                        .clone()
                        .filter(|c| !c.is_empty())
                        .unwrap_or_else(|| d.name.clone());
                    let mut keys = Vec::new();
                    if !d.key_for.is_empty() {
                        keys.push(format!("For: {}", d.key_for.join(", ")));
                    }
                    if !d.key_against.is_empty() {
                        keys.push(format!("Against: {}", d.key_against.join(", ")));
                    }
                    vec![
                        Cell::plain(name),
                        Cell::plain(d.icd10.join(", ")),
                        Cell::bold(percent(d.probability)),
                        Cell::plain(if keys.is_empty() {
                            "-".to_string()
                        } else {
                            keys.join("\n")
                        }),
                    ]
                })
                .collect();
            w.table(
                &[
                    col("Condition", 0.25),
                    col("ICD-10", 0.14),
                    num("Probability", 0.09),
                    col("Key findings", 0.52),
                ],
                &rows,
            );
            w.paragraph(
                "Each condition is its own yes/no estimate, so the probabilities need not add up to 100%.",
                SMALL,
                false,
                GREY,
                LEFT,
            );
        }

        // Over time.
        w.heading("Pain, PEG and PSFS over time", 170.0);
        if let Some(p) = self.assessment_pain {
            w.paragraph(
                &format!("Pain at the assessment ({}): {p}/10.", self.assessed_on),
                BODY,
                false,
                INK,
                LEFT,
            );
        }
        self.chart(&mut w);
        if self.pain.is_empty() {
            w.paragraph("No pain diary entries yet.", BODY, true, INK, LEFT);
        } else {
            let (recent, skipped) = self.recent_pain();
            w.subheading("Pain diary (0-10; exercise sessions that day)", 30.0);
            // Three entries a row keeps a fortnight of entries to a few lines.
            let rows: Vec<Vec<Cell>> = recent
                .chunks(3)
                .map(|chunk| {
                    let mut row = Vec::new();
                    for i in 0..3 {
                        match chunk.get(i) {
                            Some(r) => row.extend([
                                Cell::plain(r.date.to_string()),
                                Cell::bold(format!("{}/10", r.pain)),
                                Cell::plain(r.sessions.to_string()),
                            ]),
                            None => row.extend([Cell::plain(""), Cell::plain(""), Cell::plain("")]),
                        }
                    }
                    row
                })
                .collect();
            w.table(
                &[
                    col("Date", 0.15),
                    num("Pain", 0.08),
                    num("Sessions", 0.10),
                    col("Date", 0.15),
                    num("Pain", 0.08),
                    num("Sessions", 0.10),
                    col("Date", 0.15),
                    num("Pain", 0.08),
                    num("Sessions", 0.11),
                ],
                &rows,
            );
            if skipped > 0 {
                w.paragraph(
                    &format!("{skipped} earlier diary entries are in the chart only."),
                    SMALL,
                    false,
                    GREY,
                    LEFT,
                );
            }
        }
        w.subheading(
            "PEG (pain, enjoyment of life, general activity; mean of three 0-10 items)",
            24.0,
        );
        if self.peg.is_empty() {
            w.paragraph("No PEG recorded.", BODY, false, INK, LEFT);
        } else {
            let rows: Vec<Vec<Cell>> = self
                .peg
                .iter()
                .map(|p| {
                    vec![
                        Cell::plain(p.date.to_string()),
                        Cell::plain(p.pain.to_string()),
                        Cell::plain(p.enjoyment.to_string()),
                        Cell::plain(p.activity.to_string()),
                        Cell::bold(score(p.score)),
                    ]
                })
                .collect();
            w.table(
                &[
                    col("Date", 0.28),
                    num("Pain", 0.18),
                    num("Enjoyment", 0.18),
                    num("Activity", 0.18),
                    num("PEG score", 0.18),
                ],
                &rows,
            );
        }
        w.subheading(
            "Patient-Specific Functional Scale (0 = unable, 10 = as before; mean)",
            24.0,
        );
        if self.psfs.is_empty() {
            w.paragraph("No PSFS recorded.", BODY, false, INK, LEFT);
        } else {
            let rows: Vec<Vec<Cell>> = self
                .psfs
                .iter()
                .map(|p| {
                    let acts: Vec<String> = p
                        .activities
                        .iter()
                        .map(|(n, s)| format!("{n} ({s})"))
                        .collect();
                    vec![
                        Cell::plain(p.date.to_string()),
                        Cell::plain(acts.join("; ")),
                        Cell::bold(score(p.score)),
                    ]
                })
                .collect();
            w.table(
                &[
                    col("Date", 0.18),
                    col("Activities (score)", 0.64),
                    num("PSFS score", 0.18),
                ],
                &rows,
            );
            if let Some(line) = self.psfs_change_line() {
                w.paragraph(&line, SMALL, false, GREY, LEFT);
            }
        }

        // Plan.
        w.heading("Plan and how much of it was done", 30.0);
        for line in self.plan_lines() {
            w.paragraph(&line, BODY, false, INK, LEFT);
        }
        if let PlanSummary::Plan { phases, .. } = &self.plan {
            // The phases in one line; the exercises of the current one only (the HTML lists them all).
            let outline: Vec<String> = phases
                .iter()
                .map(|p| format!("{} ({})", p.title, p.weeks.to_lowercase()))
                .collect();
            w.bullet(&format!("Phases: {}.", outline.join(", ")), SMALL, INK);
            if let Some(p) = phases.iter().find(|p| p.current) {
                w.bullet(
                    &format!("Now - {}: {}, {}.", p.weeks, p.title, p.detail),
                    SMALL,
                    INK,
                );
            }
        }

        // About.
        w.heading("What Dorsum is and is not", 20.0);
        for p in crate::report::ABOUT {
            w.paragraph(p, SMALL, false, GREY, LEFT);
        }

        w.finish(
            &format!("Dorsum report: assessment of {}", self.assessed_on),
            &format!(
                "Dorsum clinician report - assessment of {} - self-reported, not a diagnosis",
                self.assessed_on
            ),
            &format!(
                "Assessment {}; knowledge base {}",
                self.assessment_id, self.kb_version
            ),
        )
    }

    /// Pain, PEG and PSFS on one 0-10 chart.
    fn chart(&self, w: &mut Writer) {
        let series = [
            Series {
                label: "Pain (diary, 0-10)",
                colour: RED,
                dash: None,
                points: self
                    .pain
                    .iter()
                    .map(|p| (p.date, f64::from(p.pain)))
                    .collect(),
            },
            Series {
                label: "PEG score",
                colour: BLUE,
                dash: Some(&[4.0, 2.0]),
                points: self.peg.iter().map(|p| (p.date, p.score)).collect(),
            },
            Series {
                label: "PSFS score (higher is better)",
                colour: GREEN,
                dash: Some(&[1.5, 1.5]),
                points: self.psfs.iter().map(|p| (p.date, p.score)).collect(),
            },
        ];
        let assessment = self
            .assessment_pain
            .map(|p| (self.assessed_on, f64::from(p)));
        let mut dates: Vec<Date> = series
            .iter()
            .flat_map(|s| s.points.iter().map(|(d, _)| *d))
            .collect();
        dates.push(self.assessed_on);
        let first = dates.iter().copied().min().unwrap_or(self.assessed_on);
        let last = dates.iter().copied().max().unwrap_or(self.assessed_on);
        let span = (last - first).get_days().max(6);

        let height = 80.0;
        let legend = 13.0;
        w.ensure(legend + height + 22.0);
        // Legend.
        let mut x = LEFT;
        for s in &series {
            let y = w.y - 6.0;
            w.line(&[(x, y), (x + 18.0, y)], s.colour, 1.6, s.dash);
            w.text_at(x + 22.0, y - 2.5, s.label, SMALL, false, INK);
            x += 22.0 + width(s.label, SMALL, false) + 16.0;
        }
        if assessment.is_some() {
            let y = w.y - 6.0;
            w.fill_rect(x, y + 2.5, 5.0, 5.0, INK);
            w.text_at(x + 9.0, y - 2.5, "Pain at assessment", SMALL, false, INK);
        }
        w.y -= legend;

        let (x0, x1) = (LEFT + 22.0, RIGHT - 6.0);
        let (y_top, y_bottom) = (w.y - 4.0, w.y - height);
        let xs = |d: Date| x0 + (x1 - x0) * ((d - first).get_days() as f32 / span as f32);
        let ys = |v: f64| y_bottom + (y_top - y_bottom) * (v as f32 / 10.0);
        for v in (0..=10).step_by(2) {
            let y = ys(f64::from(v));
            w.line(&[(x0, y), (x1, y)], RULE, 0.4, None);
            let label = v.to_string();
            w.text_at(
                x0 - 4.0 - width(&label, SMALL, false),
                y - 2.5,
                &label,
                SMALL,
                false,
                GREY,
            );
        }
        w.line(&[(x0, y_bottom), (x0, y_top)], GREY, 0.6, None);
        // Date labels: up to seven, evenly spread, never overlapping.
        let ticks = 6.min(span);
        let mut last_right = f32::MIN;
        for i in 0..=ticks {
            let d = first
                .checked_add(jiff::Span::new().days(i64::from(span * i / ticks.max(1))))
                .unwrap_or(first);
            let label = short(d);
            let lw = width(&label, SMALL, false);
            let cx = xs(d);
            let lx = (cx - lw / 2.0).clamp(x0 - 10.0, RIGHT - lw);
            if lx > last_right + 6.0 {
                w.line(&[(cx, y_bottom), (cx, y_bottom - 3.0)], GREY, 0.6, None);
                w.text_at(lx, y_bottom - 11.0, &label, SMALL, false, GREY);
                last_right = lx + lw;
            }
        }
        let any = series.iter().any(|s| !s.points.is_empty()) || assessment.is_some();
        if !any {
            let msg = "No pain, PEG or PSFS entries yet";
            w.text_at(
                (x0 + x1) / 2.0 - width(msg, BODY, false) / 2.0,
                (y_top + y_bottom) / 2.0,
                msg,
                BODY,
                false,
                GREY,
            );
        }
        for s in &series {
            let pts: Vec<(f32, f32)> = s.points.iter().map(|&(d, v)| (xs(d), ys(v))).collect();
            w.line(&pts, s.colour, 1.6, s.dash);
            for (x, y) in pts {
                w.fill_rect(x - 1.8, y + 1.8, 3.6, 3.6, s.colour);
            }
        }
        if let Some((d, v)) = assessment {
            let (x, y) = (xs(d), ys(v));
            w.fill_rect(x - 2.5, y + 2.5, 5.0, 5.0, INK);
        }
        w.y = y_bottom - 16.0;
    }
}
