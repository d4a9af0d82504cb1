//! Figures as SVG or PNG (plotters): the panels are computed elsewhere and drawn here. Text is
//! set in DejaVu Sans, embedded in the binary (assets/fonts, Bitstream Vera licence), so PNG
//! output needs no system library or installed font.

use crate::error::{Error, Result, Usage};
pub use crate::sim::figure::{Curve, Figure, Panel};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Registers the embedded font as "sans-serif", once.
fn register_font() -> Result<()> {
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| {
        plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
        )
        .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Usage::Other("the embedded font could not be read".to_string()).into())
    }
}

fn palette(i: usize) -> RGBColor {
    [BLUE, RED, GREEN, MAGENTA, CYAN, BLACK][i % 6]
}

fn err<E: std::fmt::Display>(path: &str) -> impl Fn(E) -> Error + '_ {
    move |e| Usage::at(path, format!("cannot draw the figure: {e}")).into()
}

/// The image formats, chosen by the file name's extension.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ImageFormat {
    Svg,
    Png,
}

impl ImageFormat {
    /// The format a file name asks for: `.svg` or `.png` (any case).
    pub fn of(path: &str) -> Result<ImageFormat> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".svg") {
            Ok(ImageFormat::Svg)
        } else if lower.ends_with(".png") {
            Ok(ImageFormat::Png)
        } else {
            Err(Usage::invalid(
                "--out",
                path,
                "the file name must end in .svg or .png (the format)",
            )
            .into())
        }
    }
}

/// Draws a figure into an SVG or PNG file (by its extension).
pub fn draw_figure(path: &str, fig: &Figure) -> Result<()> {
    draw(path, &fig.title, fig.rows, fig.cols, &fig.panels)
}

/// Draws `panels` in a grid of `rows` × `cols` into an SVG or PNG file (by its extension).
pub fn draw(path: &str, title: &str, rows: usize, cols: usize, panels: &[Panel]) -> Result<()> {
    let (w, h) = if rows * cols == 1 {
        (900, 600)
    } else {
        (420 * cols as u32, 320 * rows as u32 + 40)
    };
    register_font()?;
    match ImageFormat::of(path)? {
        ImageFormat::Svg => draw_on(
            SVGBackend::new(path, (w, h)).into_drawing_area(),
            path,
            title,
            (rows, cols),
            panels,
        ),
        ImageFormat::Png => draw_on(
            BitMapBackend::new(path, (w, h)).into_drawing_area(),
            path,
            title,
            (rows, cols),
            panels,
        ),
    }
}

fn draw_on<DB: DrawingBackend>(
    root: DrawingArea<DB, Shift>,
    path: &str,
    title: &str,
    (rows, cols): (usize, usize),
    panels: &[Panel],
) -> Result<()> {
    root.fill(&WHITE).map_err(err(path))?;
    let root = root.titled(title, ("sans-serif", 22)).map_err(err(path))?;
    let areas = root.split_evenly((rows, cols));
    for (area, p) in areas.iter().zip(panels) {
        let (x0, x1) = p.x_range;
        let (y0, y1) = p.y_range;
        if p.y_log {
            let mut chart = ChartBuilder::on(area)
                .caption(&p.title, ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(28)
                .y_label_area_size(48)
                .build_cartesian_2d(x0..x1, (y0.max(1e-300)..y1).log_scale())
                .map_err(err(path))?;
            chart.configure_mesh().draw().map_err(err(path))?;
            for (label, pts, c) in &p.lines {
                let color = palette(*c);
                chart
                    .draw_series(LineSeries::new(
                        pts.iter().filter(|q| q.1 > 0.0).copied(),
                        &color,
                    ))
                    .map_err(err(path))?
                    .label(label.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
            }
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.8))
                .border_style(BLACK)
                .draw()
                .map_err(err(path))?;
        } else {
            let mut chart = ChartBuilder::on(area)
                .caption(&p.title, ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(28)
                .y_label_area_size(48)
                .build_cartesian_2d(x0..x1, y0..y1)
                .map_err(err(path))?;
            chart.configure_mesh().draw().map_err(err(path))?;
            if !p.bars.is_empty() {
                let hmax = p.bars.iter().map(|b| b.2).fold(0.0, f64::max).max(1.0);
                chart
                    .draw_series(p.bars.iter().map(|&(a, b, h)| {
                        let top = y0 + (y1 - y0) * 0.5 * h / hmax;
                        Rectangle::new([(a, y0), (b, top)], BLUE.mix(0.35).filled())
                    }))
                    .map_err(err(path))?;
            }
            for (label, pts, c) in &p.lines {
                let color = palette(*c);
                let s = chart
                    .draw_series(LineSeries::new(pts.iter().copied(), &color))
                    .map_err(err(path))?;
                if !label.is_empty() {
                    s.label(label.as_str())
                        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], color));
                }
            }
            chart
                .draw_series(p.points.iter().map(|&q| Circle::new(q, 2, RED.filled())))
                .map_err(err(path))?;
            if p.lines.iter().any(|l| !l.0.is_empty()) {
                chart
                    .configure_series_labels()
                    .background_style(WHITE.mix(0.8))
                    .border_style(BLACK)
                    .draw()
                    .map_err(err(path))?;
            }
        }
    }
    root.present().map_err(err(path))?;
    Ok(())
}
