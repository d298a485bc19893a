package cn.jiangyin.warehouse.serving.report;

import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder.FontStyle;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Renders the report page as PDF (openhtmltopdf on PDFBox) with an embedded CJK TrueType font: the
 * PDF standard fonts have no Chinese glyphs. The font is the one given, else the first installed of
 * {@link #FONT_CANDIDATES} (Debian: {@code apt-get install fonts-droid-fallback}).
 */
public final class ReportPdf {
  /** TrueType (not collection) fonts with CJK glyphs, as Debian packages install them. */
  public static final List<Path> FONT_CANDIDATES =
      List.of(
          Path.of("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
          Path.of("/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"),
          Path.of("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
          Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttf"));

  private ReportPdf() {}

  /** The CJK font to embed: {@code given}, else the first installed candidate. */
  public static Path font(Optional<Path> given) {
    if (given.isPresent()) {
      if (!Files.isRegularFile(given.get())) {
        throw new ReportException("Cannot find the font file " + given.get());
      }
      return given.get();
    }
    return FONT_CANDIDATES.stream()
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(
            () ->
                new ReportException(
                    "Cannot render the PDF: no CJK TrueType font found (looked for "
                        + FONT_CANDIDATES
                        + "); install the Debian package fonts-droid-fallback or pass --font"));
  }

  /** Writes {@code xhtml} (from {@link ReportHtml}) as PDF to {@code out}. */
  public static void write(String xhtml, Path font, OutputStream out) {
    try {
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.useFastMode();
      // the same glyphs for bold text (headings, table heads): else bold falls back to Helvetica
      for (int weight : new int[] {400, 700}) {
        builder.useFont(font.toFile(), ReportHtml.PDF_FONT_FAMILY, weight, FontStyle.NORMAL, true);
      }
      builder.withHtmlContent(xhtml, null);
      builder.toStream(out);
      builder.run();
    } catch (IOException e) {
      throw new ReportException("Cannot render the PDF with font " + font, e);
    }
  }
}
