//! Where the charts of a sheet go: below the table, side by side while they fit within the
//! table's width, then on a new band below. Each anchor is computed from what has already
//! been placed and from the real widths of the columns it lands on, so a chart never covers
//! the table or another chart — fixed anchors (chart 2 "from column E") did, once the first
//! chart spanned more columns than the anchor assumed.

use super::row_height::column_pixels;

/// Height of a row whose height is not set (15 points), in pixels.
const DEFAULT_ROW_PX: u32 = 20;
/// Width of a column whose width is not set (8.43 characters), in pixels.
const DEFAULT_COLUMN_PX: u32 = 64;

/// A chart's anchor: its top-left cell and the offset from that cell's corner, in pixels,
/// as `Worksheet::insert_chart_with_offset` takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub row: u32,
    pub col: u16,
    pub x_offset: u32,
    pub y_offset: u32,
}

/// A chart as placed: its anchor and its box in pixels from the grid's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    pub anchor: Anchor,
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

impl Placed {
    /// True when the two boxes share any pixel.
    pub fn overlaps(&self, other: &Placed) -> bool {
        self.left < other.left + other.width
            && other.left < self.left + self.width
            && self.top < other.top + other.height
            && other.top < self.top + self.height
    }
}

/// Lays charts out below a table, left to right, in bands.
#[derive(Debug)]
pub struct ChartGrid {
    /// Pixel width of each column from the first, as set on the sheet (0 when hidden).
    columns: Vec<u32>,
    /// The first row below the table that charts may use; rows from here on have the
    /// default height.
    top_row: u32,
    /// The right edge (pixels) that a second chart of a band must not pass.
    right: u32,
    /// Pixels between charts, across and down.
    gap: u32,
    /// Where the next chart of the current band starts, and the current band's top and
    /// height.
    cursor: u32,
    band_top: u32,
    band_height: u32,
    placed: Vec<Placed>,
}

impl ChartGrid {
    /// A grid starting at `top_row`, over columns `widths` characters wide (hidden columns as
    /// 0), whose bands are no wider than the table's first `table_columns` columns (or one
    /// chart, if that is wider).
    pub fn new(top_row: u32, widths: &[f64], table_columns: usize, gap: u32) -> Self {
        let columns: Vec<u32> = widths
            .iter()
            .map(|w| {
                if *w <= 0.0 {
                    0
                } else {
                    column_pixels(*w) as u32
                }
            })
            .collect();
        let right = columns.iter().take(table_columns).sum();
        Self {
            columns,
            top_row,
            right,
            gap,
            cursor: 0,
            band_top: 0,
            band_height: 0,
            placed: Vec::new(),
        }
    }

    /// Places a chart of `width` × `height` pixels and returns where it goes.
    pub fn place(&mut self, width: u32, height: u32) -> Placed {
        if self.cursor > 0 && self.cursor + width > self.right {
            self.band_top += self.band_height + self.gap;
            self.band_height = 0;
            self.cursor = 0;
        }
        let (left, top) = (self.cursor, self.band_top);
        let (col, x_offset) = self.column_at(left);
        let placed = Placed {
            anchor: Anchor {
                row: self.top_row + top / DEFAULT_ROW_PX,
                col,
                x_offset,
                y_offset: top % DEFAULT_ROW_PX,
            },
            left,
            top,
            width,
            height,
        };
        self.cursor = left + width + self.gap;
        self.band_height = self.band_height.max(height);
        self.placed.push(placed);
        placed
    }

    /// Everything placed so far, in order.
    pub fn placed(&self) -> &[Placed] {
        &self.placed
    }

    /// The visible column holding pixel `x`, and `x`'s offset inside it.
    fn column_at(&self, x: u32) -> (u16, u32) {
        let mut start = 0;
        let mut col = 0usize;
        loop {
            let width = self.columns.get(col).copied().unwrap_or(DEFAULT_COLUMN_PX);
            if width > 0 && x < start + width {
                return (col as u16, x - start);
            }
            start += width;
            col += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The level sheets' columns: ward 26, schools 11, ten indicators of 16.
    fn level_widths() -> Vec<f64> {
        let mut widths = vec![26.0, 11.0];
        widths.extend([16.0; 10]);
        widths
    }

    #[test]
    fn the_second_chart_starts_right_of_the_first() {
        let mut grid = ChartGrid::new(20, &level_widths(), 12, 16);
        let first = grid.place(640, 320);
        let second = grid.place(640, 320);
        assert_eq!(
            first.anchor,
            Anchor {
                row: 20,
                col: 0,
                x_offset: 0,
                y_offset: 0
            }
        );
        assert!(!first.overlaps(&second));
        assert_eq!(second.left, 656);
        // Column A is 187 px, B 82, C–F 117 each: 656 is 36 px into column F.
        assert_eq!(second.anchor.col, 5);
        assert_eq!(second.anchor.x_offset, 656 - 187 - 82 - 3 * 117);
        assert_eq!(second.anchor.row, 20);
    }

    #[test]
    fn a_chart_that_would_pass_the_table_goes_below() {
        let mut grid = ChartGrid::new(10, &[26.0, 11.0, 16.0, 16.0], 4, 16);
        let first = grid.place(640, 320);
        let second = grid.place(640, 320);
        assert_eq!(second.left, 0);
        assert_eq!(second.top, 336);
        assert_eq!(second.anchor.row, 10 + 336 / 20);
        assert_eq!(second.anchor.y_offset, 336 % 20);
        assert!(!first.overlaps(&second));
    }

    #[test]
    fn hidden_columns_never_hold_an_anchor() {
        let mut grid = ChartGrid::new(0, &[10.0, 0.0, 10.0], 3, 0);
        grid.place(75, 10);
        let second = grid.place(10, 10);
        assert_eq!(second.anchor.col, 2);
        assert_eq!(second.anchor.x_offset, 0);
    }

    #[test]
    fn no_two_charts_overlap_whatever_their_number() {
        let mut grid = ChartGrid::new(5, &level_widths(), 12, 16);
        for _ in 0..7 {
            grid.place(640, 320);
        }
        let placed = grid.placed();
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} {b:?}");
            }
        }
    }
}
