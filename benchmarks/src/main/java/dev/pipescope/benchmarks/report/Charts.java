package dev.pipescope.benchmarks.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;

/** Draws the report's bar charts with JFreeChart, headless, as PNG. */
final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;
    private static final Color[] PALETTE = {
        new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52),
        new Color(0x8172B3), new Color(0x937860), new Color(0xDA8BC3), new Color(0x8C8C8C)};

    private Charts() {
    }

    /**
     * One bar of a chart.
     *
     * @param series   the bar's series (colour and legend entry).
     * @param category the group it stands in.
     * @param value    its height.
     * @param error    the 99.9% confidence half-width drawn as an error bar (NaN: none).
     */
    record Bar(String series, String category, double value, double error) {
    }

    /**
     * Writes a grouped bar chart with error bars.
     *
     * @param file       the PNG to write.
     * @param title      the title.
     * @param subtitle   a line under it (may be empty).
     * @param categories the axis label of the groups.
     * @param valueLabel the axis label of the values.
     * @param bars       the bars, in order.
     * @throws IOException when the file cannot be written.
     */
    static void barChart(final Path file, final String title, final String subtitle, final String categories,
        final String valueLabel, final List<Bar> bars) throws IOException {
        System.setProperty("java.awt.headless", "true");
        final DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        for (final Bar b : bars) {
            data.add(b.value(), Double.isNaN(b.error()) ? 0.0 : b.error(), b.series(), b.category());
        }
        final CategoryAxis categoryAxis = new CategoryAxis(categories);
        categoryAxis.setCategoryLabelPositions(CategoryLabelPositions.STANDARD);
        categoryAxis.setCategoryMargin(0.15);
        final NumberAxis valueAxis = new NumberAxis(valueLabel);
        valueAxis.setNumberFormatOverride(new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)));
        final StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setErrorIndicatorPaint(Color.DARK_GRAY);
        renderer.setItemMargin(0.03);
        final double largest = bars.stream().mapToDouble(Bar::value).max().orElse(0);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}",
            new DecimalFormat(largest >= 100 ? "#,##0" : "#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT))));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int i = 0; i < data.getRowCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        final CategoryPlot plot = new CategoryPlot(data, categoryAxis, valueAxis, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        final JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (!subtitle.isEmpty()) {
            chart.addSubtitle(new TextTitle(subtitle, new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
}
