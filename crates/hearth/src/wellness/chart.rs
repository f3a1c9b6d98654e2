//! Trend charts drawn on the server as SVG: no script, no third-party
//! library. Each chart is an image with a title and a description for
//! screen readers, and the page puts its data in a table beside it. Days
//! without a record are simply days without a point: nothing marks them.

use std::fmt::Write;

/// Drawing area, in SVG units (the chart scales to its container).
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 32.0;

/// A chart to draw.
pub struct Chart<'a> {
    /// Unique on the page (for `aria-labelledby`).
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// The period shown, epoch milliseconds.
    pub from: i64,
    pub to: i64,
    pub y_min: f64,
    pub y_max: f64,
    /// Values marked on the y axis, with their labels.
    pub y_ticks: &'a [(f64, String)],
    /// Instants marked on the x axis, with their labels.
    pub x_ticks: &'a [(i64, String)],
    /// (instant, value), oldest first.
    pub points: &'a [(i64, f64)],
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Chart<'_> {
    fn x(&self, t: i64) -> f64 {
        let span = (self.to - self.from).max(1) as f64;
        let f = ((t - self.from) as f64 / span).clamp(0.0, 1.0);
        LEFT + f * (WIDTH - LEFT - RIGHT)
    }

    fn y(&self, v: f64) -> f64 {
        let span = (self.y_max - self.y_min).max(f64::EPSILON);
        let f = ((v - self.y_min) / span).clamp(0.0, 1.0);
        HEIGHT - BOTTOM - f * (HEIGHT - TOP - BOTTOM)
    }

    /// The SVG, ready to place in a page.
    pub fn svg(&self) -> String {
        let id = escape(self.id);
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(self.title),
            escape(self.description)
        );
        for (v, label) in self.y_ticks {
            let y = self.y(*v);
            let _ = write!(
                s,
                r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                WIDTH - RIGHT,
                LEFT - 6.0,
                y + 4.0,
                escape(label)
            );
        }
        for (t, label) in self.x_ticks {
            let x = self.x(*t);
            let _ = write!(
                s,
                r#"<text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                HEIGHT - 10.0,
                escape(label)
            );
        }
        if self.points.len() > 1 {
            s.push_str(r#"<polyline class="line" points=""#);
            for (t, v) in self.points {
                let _ = write!(s, "{:.1},{:.1} ", self.x(*t), self.y(*v));
            }
            s.push_str(r#""/>"#);
        }
        for (t, v) in self.points {
            let _ = write!(
                s,
                r#"<circle class="point" cx="{:.1}" cy="{:.1}" r="4"/>"#,
                self.x(*t),
                self.y(*v)
            );
        }
        s.push_str("</svg>");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_land_inside_the_drawing_and_text_is_escaped() {
        let points = [(0, 1.0), (50, 5.0), (100, 3.0)];
        let ticks = [(1.0, "<low>".to_owned()), (5.0, "high".to_owned())];
        let chart = Chart {
            id: "mood",
            title: "Mood & more",
            description: "Three check-ins",
            from: 0,
            to: 100,
            y_min: 1.0,
            y_max: 5.0,
            y_ticks: &ticks,
            x_ticks: &[],
            points: &points,
        };
        let svg = chart.svg();
        assert!(svg.contains("<title id=\"mood-title\">Mood &amp; more</title>"));
        assert!(svg.contains("&lt;low&gt;"));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(&format!("cx=\"{LEFT:.1}\" cy=\"{:.1}\"", HEIGHT - BOTTOM)));
        assert!(svg.contains(&format!(
            "cx=\"{:.1}\" cy=\"{TOP:.1}\"",
            LEFT + (WIDTH - LEFT - RIGHT) / 2.0
        )));
    }
}
