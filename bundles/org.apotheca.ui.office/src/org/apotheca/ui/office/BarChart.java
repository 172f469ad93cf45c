package org.apotheca.ui.office;

import org.apotheca.ui.Ids;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.IBarSeries;
import org.eclipse.swtchart.ISeries;
import org.eclipse.swtchart.ISeries.SeriesType;
import org.eclipse.swtchart.Range;

/**
 * One bar chart (SWTChart) with named bars and no legend (the title says what the bars are): one colour with the
 * values written on the bars, or one colour per bar (expiry bands, in the till's band colours). Horizontal bars
 * for long names (products), vertical ones for days. A caption under it says when there is nothing to show.
 */
final class BarChart {

  /** More day bars than this and their labels stand upright. */
  private static final int UPRIGHT_AFTER = 10;

  private final Composite box;
  private final Chart chart;
  private final Label caption;
  private final Color colour;
  private final Display display;
  private final boolean horizontal;
  private boolean labels = true;
  private String[] names = new String[0];
  private double[] values = new double[0];

  BarChart(Composite parent, String id, String title, String valueTitle, boolean horizontal, Color colour, Font font) {
    display = parent.getDisplay();
    this.colour = colour;
    this.horizontal = horizontal;
    box = new Composite(parent, SWT.NONE);
    box.setBackground(display.getSystemColor(SWT.COLOR_WHITE));
    org.eclipse.jface.layout.GridLayoutFactory.fillDefaults().margins(4, 4).spacing(0, 0).applyTo(box);
    chart = Ids.id(new Chart(box, SWT.NONE), id);
    org.eclipse.jface.layout.GridDataFactory.fillDefaults().grab(true, true).hint(200, 160).applyTo(chart);
    chart.setBackground(display.getSystemColor(SWT.COLOR_WHITE));
    chart.setBackgroundInPlotArea(display.getSystemColor(SWT.COLOR_WHITE));
    if (horizontal) {
      chart.setOrientation(SWT.VERTICAL); // SWTChart: the vertical orientation lays the category axis upright
    }
    chart.getTitle().setText(title);
    chart.getTitle().setFont(font);
    chart.getTitle().setForeground(display.getSystemColor(SWT.COLOR_BLACK));
    chart.getLegend().setVisible(false);
    IAxis x = chart.getAxisSet().getXAxis(0);
    x.getTitle().setVisible(false);
    x.enableCategory(true);
    x.setCategorySeries(new String[] { "" });
    x.getTick().setForeground(display.getSystemColor(SWT.COLOR_BLACK));
    IAxis y = chart.getAxisSet().getYAxis(0);
    y.getTitle().setText(valueTitle);
    y.getTitle().setForeground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
    y.getTick().setForeground(display.getSystemColor(SWT.COLOR_BLACK));
    caption = Ids.id(new Label(box, SWT.CENTER), id + ".caption");
    caption.setBackground(display.getSystemColor(SWT.COLOR_WHITE));
    caption.setForeground(display.getSystemColor(SWT.COLOR_DARK_GRAY));
    org.eclipse.jface.layout.GridDataFactory.fillDefaults().grab(true, false).applyTo(caption);
  }

  Composite control() {
    return box;
  }

  /** One colour; the values written on the bars with {@code format} (a DecimalFormat pattern). */
  void show(String[] names, double[] values, String format, String empty) {
    show(names, values, format, null, empty);
  }

  /** Values on the bars or not (many bars of a day chart leave no room for them; the axis says enough). */
  BarChart labels(boolean shown) {
    labels = shown;
    return this;
  }

  /**
   * The bars, and the value axis from zero (bars compare honestly) with room above the tallest for its label. With
   * {@code colours}, one per bar, each bar is a series of its own, stacked on the others' zeros.
   */
  void show(String[] names, double[] values, String format, Color[] colours, String empty) {
    this.names = names.clone();
    this.values = values.clone();
    if (horizontal) {
      // SWTChart puts the first category at the bottom; a ranking reads from the top
      names = reversed(names);
      values = reversed(values);
      colours = colours == null ? null : reversed(colours);
    }
    chart.suspendUpdate(true);
    try {
      for (ISeries<?> s : chart.getSeriesSet().getSeries()) {
        chart.getSeriesSet().deleteSeries(s.getId());
      }
      String[] categories = names.length == 0 ? new String[] { "" } : names;
      IAxis x = chart.getAxisSet().getXAxis(0);
      x.setCategorySeries(categories);
      // a month of days side by side leaves each label less room than its text: upright they stay readable
      x.getTick().setTickLabelAngle(!horizontal && categories.length > UPRIGHT_AFTER ? 90 : 0);
      if (colours == null) {
        IBarSeries<?> b = bars("values", values.length == 0 ? new double[] { 0 } : values, colour, format);
        if (nothing(values)) {
          b.getLabel().setVisible(false); // a lone "0" over an empty chart reads as a figure
        }
      } else {
        for (int i = 0; i < values.length; i++) {
          double[] one = new double[values.length];
          one[i] = values[i];
          IBarSeries<?> b = bars("bar" + i, one, colours[i], format);
          b.enableStack(true);
          b.getLabel().setVisible(false); // the zeros of the other bars would be labelled too
        }
      }
      double max = 0;
      double min = 0;
      for (double v : values) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
      chart.getAxisSet().adjustRange();
      chart.getAxisSet().getYAxis(0).setRange(new Range(min < 0 ? min * 1.15 : 0, max <= 0 ? 1 : max * 1.15));
    } finally {
      chart.suspendUpdate(false);
    }
    caption.setText(nothing(values) ? empty : "");
    chart.redraw();
  }

  private static boolean nothing(double[] values) {
    return java.util.Arrays.stream(values).allMatch(v -> v == 0);
  }

  private IBarSeries<?> bars(String id, double[] ys, Color c, String format) {
    IBarSeries<?> b = (IBarSeries<?>) chart.getSeriesSet().createSeries(SeriesType.BAR, id);
    b.setYSeries(ys);
    b.setBarColor(c);
    b.setBarPadding(30);
    b.getLabel().setVisible(labels);
    b.getLabel().setFormat(format);
    b.getLabel().setForeground(display.getSystemColor(SWT.COLOR_BLACK));
    return b;
  }

  private static <T> T[] reversed(T[] a) {
    T[] r = a.clone();
    for (int i = 0; i < a.length; i++) {
      r[i] = a[a.length - 1 - i];
    }
    return r;
  }

  private static double[] reversed(double[] a) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[a.length - 1 - i];
    }
    return r;
  }

  String[] names() {
    return names.clone();
  }

  double[] values() {
    return values.clone();
  }
}
