using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Tests.Reports;
using HocLamTheoBac.Web.Cli;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace HocLamTheoBac.Tests.Cli;

public sealed class ReportVerbTests(ReportAppFactory app) : IClassFixture<ReportAppFactory>
{
    private IConfiguration Config => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = app.ConnectionString }).Build();

    private async Task<(int Code, string Out)> Hlb(params string[] args)
    {
        var sw = new StringWriter();
        var code = await CommandLine.RunAsync(args, sw, Config);
        return (code, sw.ToString());
    }

    private static string Temp(string ext) => Path.Combine(Path.GetTempPath(), $"hlb-report-{Guid.NewGuid():N}.{ext}");

    [Fact]
    public async Task Report_writes_a_PDF_with_the_figures_of_the_subtree_and_shows_progress()
    {
        var file = Temp("pdf");
        var (code, output) = await Hlb("report", "--org", "TQ-TP", "--year", "2025", "--format", "pdf", "--out", file);
        Assert.Equal(0, code);
        Assert.Contains("Tổng hợp số liệu", output);
        Assert.Contains("Đã ghi", output);
        var c = await IndependentCount.ForAsync(app.ConnectionString, "TQ-TP");
        var text = System.Text.RegularExpressions.Regex.Replace(await PdfText.ExtractAsync(await File.ReadAllBytesAsync(file)), @"\s+", " ");
        Assert.Contains($"đã hoàn thành {Vn.Number(c["pledges_done"])}", text);
        File.Delete(file);
    }

    [Fact]
    public async Task Report_as_a_user_inside_their_subtree_writes_csv_and_outside_it_is_refused_with_exit_1()
    {
        var file = Temp("csv");
        var (ok, _) = await Hlb("report", "--org", "TQ-TP-PT", "--year", "2025", "--format", "csv", "--out", file, "--as", "tuyengiao.tp@hlb.local");
        Assert.Equal(0, ok);
        Assert.Contains("Chi bộ Tổ dân phố 1", System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));

        var other = Temp("csv");
        var (refused, _) = await Hlb("report", "--org", "TQ-YS", "--year", "2025", "--format", "csv", "--out", other, "--as", "tuyengiao.tp@hlb.local");
        Assert.Equal(1, refused);
        Assert.False(File.Exists(other));
        var (member, _) = await Hlb("report", "--org", "TQ-TP-PT-TDP1", "--year", "2025", "--format", "pdf", "--out", other, "--as", "dangvien@hlb.local");
        Assert.Equal(1, member);
        File.Delete(file);
    }

    /// <summary>The walk of session 19: "--out /tmp" was found a folder only after the report was made, and said so in the
    /// system's English ("Access to the path '/tmp' is denied."); a missing folder read "Could not find a part of the path".</summary>
    [Fact]
    public async Task Report_to_a_folder_or_into_a_missing_folder_is_refused_in_Vietnamese_with_exit_1()
    {
        var folder = Directory.CreateTempSubdirectory("hlb-report-out-").FullName;
        try
        {
            var (errors, output) = (new StringWriter(), new StringWriter());
            Assert.Equal(1, await CommandLine.RunAsync(["report", "--org", "TQ-TP-PT", "--year", "2025", "--format", "csv", "--out", folder, "--as", "tuyengiao.tp@hlb.local"], output, Config, errors: errors));
            Assert.Equal($"Lỗi: {folder} là một thư mục: --out cần tên tệp, ví dụ {Path.Combine(folder, "bao-cao.csv")}.", errors.ToString().Trim());
            Assert.DoesNotContain("Tổng hợp số liệu", output.ToString());

            var missing = Path.Combine(folder, "khong-co", "bao-cao.csv");
            errors = new StringWriter();
            Assert.Equal(1, await CommandLine.RunAsync(["report", "--org", "TQ-TP-PT", "--year", "2025", "--format", "csv", "--out", missing, "--as", "tuyengiao.tp@hlb.local"], new StringWriter(), Config, errors: errors));
            Assert.Equal($"Lỗi: không ghi được tệp {missing}: thư mục {Path.Combine(folder, "khong-co")} không tồn tại.", errors.ToString().Trim());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Theory]
    [InlineData("report", "--org", "TQ", "--year", "2025", "--format", "doc", "--out", "x")]
    [InlineData("report", "--org", "TQ", "--year", "năm", "--format", "pdf", "--out", "x")]
    [InlineData("report", "--org", "TQ", "--format", "pdf", "--out", "x")]
    public async Task Report_with_a_bad_argument_exits_with_2(params string[] args) => Assert.Equal(2, (await Hlb(args)).Code);

    [Fact]
    public async Task Report_of_an_issued_number_that_does_not_exist_is_refused()
    {
        var (code, _) = await Hlb("report", "--org", "TQ", "--year", "2025", "--format", "pdf", "--out", Temp("pdf"), "--issued", "99");
        Assert.Equal(1, code);
    }
}
