package cn.jiangyin.warehouse.cli;

import cn.jiangyin.warehouse.catalog.CatalogFactory;
import cn.jiangyin.warehouse.serving.report.CreditReport;
import cn.jiangyin.warehouse.serving.report.ReportHtml;
import cn.jiangyin.warehouse.serving.report.ReportPdf;
import cn.jiangyin.warehouse.serving.report.ReportSection;
import cn.jiangyin.warehouse.standard.CodeCheck;
import cn.jiangyin.warehouse.standard.ResidentIdNumber;
import cn.jiangyin.warehouse.standard.UnifiedSocialCreditCode;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code warehouse report <USCC>}: the enterprise's public credit information report (公共信用信息报告) as
 * HTML and PDF, written beside each other and moved into place when complete.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write the public credit information report (公共信用信息报告) of an enterprise as"
            + " <USCC>-<date>.html and .pdf into --out; print both paths.")
final class ReportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "USCC", description = "统一社会信用代码 of the enterprise.")
  private String uscc;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where to write the report (default: <home>/reports).")
  private Path out;

  @Option(
      names = "--as-of",
      paramLabel = "DATE",
      description = "Report date (default: today in China).")
  private LocalDate asOf;

  @Option(
      names = "--font",
      paramLabel = "FILE",
      description = "CJK TrueType font to embed in the PDF (default: an installed one).")
  private Path font;

  @Option(names = "--no-pdf", description = "Write the HTML only.")
  private boolean noPdf;

  @Override
  public Integer call() throws Exception {
    WarehouseCommand root = WarehouseCommand.of(spec);
    CodeCheck check = UnifiedSocialCreditCode.check(uscc);
    if (!check.valid()) {
      root.err()
          .println(
              "error: Invalid USCC "
                  + ResidentIdNumber.maskIfPersonal(uscc)
                  + ": "
                  + check.reason().orElseThrow());
      return WarehouseCommand.EXIT_USER_ERROR;
    }
    LocalDate date = asOf != null ? asOf : LocalDate.now(ZoneId.of("Asia/Shanghai"));
    Path folder = out != null ? out : root.home().resolve("reports");
    Optional<Path> pdfFont =
        noPdf ? Optional.empty() : Optional.of(ReportPdf.font(Optional.ofNullable(font)));
    CreditReport report;
    try (Platform platform = root.openPlatform();
        JdbcCatalog catalog = CatalogFactory.open(platform.config())) {
      report = CreditReport.read(catalog, uscc, date);
    }
    for (ReportSection section : ReportSection.values()) {
      root.err().printf("  %s: %d%n", section.title(), report.facts(section).size());
    }
    Files.createDirectories(folder);
    String html = ReportHtml.render(report);
    Path htmlFile = folder.resolve(uscc + "-" + date + ".html");
    writeAtomically(htmlFile, html.getBytes(StandardCharsets.UTF_8));
    root.out().println(htmlFile);
    if (pdfFont.isPresent()) {
      Path pdfFile = folder.resolve(uscc + "-" + date + ".pdf");
      Path partial = folder.resolve("." + pdfFile.getFileName() + ".partial");
      try (OutputStream stream = Files.newOutputStream(partial)) {
        ReportPdf.write(html, pdfFont.get(), stream);
      }
      Files.move(
          partial, pdfFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      root.out().println(pdfFile);
    }
    return 0;
  }

  private static void writeAtomically(Path file, byte[] content) throws java.io.IOException {
    Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
    Files.write(partial, content);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
