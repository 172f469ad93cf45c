package org.apotheca.ui.office;

import org.apotheca.ui.Ids;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swtchart.Chart;
import org.eclipse.swtchart.IAxis;
import org.eclipse.swtchart.IBarSeries;
import org.eclipse.swtchart.ISeries.SeriesType;
import org.eclipse.swtchart.Range;

/**
 * One bar chart (SWTChart) with named bars: one series, its values written on the bars, no legend (the title says
 * what the bars are). Horizontal bars for long names (products), vertical ones for days.
 */
final class BarChart {

  private static final String SERIES = "values";

  private final Chart chart;
  private final IBarSeries<?> bars;
  private String[] names = new String[0];
  private double[] values = new double[0];

  BarChart(Composite parent, String id, String title, String valueTitle, boolean horizontal, Color colour, Font font) {
    chart = Ids.id(new Chart(parent, SWT.NONE), id);
    chart.setBackground(parent.getDisplay().getSystemColor(SWT.COLOR_WHITE));
    chart.setBackgroundInPlotArea(parent.getDisplay().getSystemColor(SWT.COLOR_WHITE));
    if (horizontal) {
      chart.setOrientation(SWT.VERTICAL); // SWTChart: a vertical orientation lays the category axis upright
    }
    chart.getTitle().setText(title);
    chart.getTitle().setFont(font);
    chart.getTitle().setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_BLACK));
    chart.getLegend().setVisible(false);
    IAxis x = chart.getAxisSet().getXAxis(0);
    x.getTitle().setVisible(false);
    x.enableCategory(true);
    x.setCategorySeries(new String[] { "" });
    x.getTick().setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_BLACK));
    IAxis y = chart.getAxisSet().getYAxis(0);
    y.getTitle().setText(valueTitle);
    y.getTitle().setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_DARK_GRAY));
    y.getTick().setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_BLACK));
    y.getGrid().setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_WIDGET_LIGHT_SHADOW));
    bars = (IBarSeries<?>) chart.getSeriesSet().createSeries(SeriesType.BAR, SERIES);
    bars.setBarColor(colour);
    bars.setBarPadding(25);
    bars.getLabel().setVisible(true);
    bars.getLabel().setForeground(parent.getDisplay().getSystemColor(SWT.COLOR_BLACK));
  }

  Chart control() {
    return chart;
  }

  /** Shows these bars (names and values the same length); the value axis starts at zero. */
  void show(String[] names, double[] values, String format) {
    this.names = names.clone();
    this.values = values.clone();
    IAxis x = chart.getAxisSet().getXAxis(0);
    x.setCategorySeries(names.length == 0 ? new String[] { "" } : names);
    bars.setYSeries(values.length == 0 ? new double[] { 0 } : values);
    bars.getLabel().setFormat(format);
    chart.getAxisSet().adjustRange();
    IAxis y = chart.getAxisSet().getYAxis(0);
    double max = 0;
    for (double v : values) {
      max = Math.max(max, v);
    }
    double min = 0;
    for (double v : values) {
      min = Math.min(min, v);
    }
    // room above the tallest bar for its label; zero always in view so bars compare honestly
    y.setRange(new Range(min < 0 ? min * 1.15 : 0, max <= 0 ? 1 : max * 1.15));
    chart.redraw();
  }

  String[] names() {
    return names.clone();
  }

  double[] values() {
    return values.clone();
  }
}
