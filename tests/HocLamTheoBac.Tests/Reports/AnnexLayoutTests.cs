using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Web.Data.Synthetic;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Pdf;
using HocLamTheoBac.Web.Reports.Pdf.Components;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>A synthetic province of 1.000.000 members (one closed year, 2025) beside the demo data.</summary>
public sealed class MillionProvinceFactory : AppFactory
{
    public int RootId { get; private set; }

    // A province's roll-up reads a few million rows: under the whole suite's load on two cores it can
    // take longer than Npgsql's default 30 s command timeout (a tolerance, not an assertion on time).
    protected override void ConfigureSettings(IWebHostBuilder builder) =>
        builder.UseSetting("ConnectionStrings:Default", ConnectionString + ";Command Timeout=600");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var ds = NpgsqlDataSource.Create(ConnectionString);
        RootId = (await SyntheticLoader.RunAsync(ds, new SyntheticOptions(1_000_000, 1, Seed: 5, LastYear: 2025, Code: "MIL"), null, CancellationToken.None)).RootId;
    }
}

/// <summary>The annex of a province is readable at any scale: no two words overlap, every number is the roll-up's.</summary>
public sealed class AnnexLayoutTests(MillionProvinceFactory app) : IClassFixture<MillionProvinceFactory>
{
    private static readonly IReadOnlyList<AnnexColumns.Column> Columns = AnnexColumns.All;

    [Fact]
    public async Task The_annex_of_a_province_of_a_million_members_has_no_overlapping_words_and_the_roll_up_figures()
    {
        var (rollup, pdf) = await app.DbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Id == app.RootId);
            var rollup = await Rollup.ComputeAsync(db, unit.Id, 2025, CancellationToken.None);
            var draft = new Report { OrgUnitId = unit.Id, Year = 2025, Place = "Tỉnh mẫu", SignerName = "Nguyễn Văn An", Direction = "Tiếp tục đẩy mạnh học tập và làm theo Bác." };
            var model = ReportModel.Build(rollup, draft, null, unit.Name, "TU", false, new DateOnly(2025, 12, 20));
            return (rollup, ReportDocument.Render(model));
        });
        Assert.True(rollup.Totals.Members >= 1_000_000, $"{rollup.Totals.Members} members");
        Assert.True(rollup.All.Count >= 5_000, $"{rollup.All.Count} units");

        var pages = await PdfWords.ReadAsync(pdf);
        var overlaps = PdfWords.Overlaps(pages);
        Assert.True(overlaps.Count == 0, "overlapping words: " + string.Join("; ", overlaps.Take(5).Select(o => $"p{o.A.Page} '{o.A.Text}'/'{o.B.Text}'")));
        Assert.True(pages[0].Width < pages[0].Height, "the body is portrait");
        Assert.Contains(pages, p => p.Landscape);

        var printed = PdfWords.AnnexRows(pages, Columns.Count);
        // The tree, each unit's children in the one sibling order (the dashboard's), walked depth first.
        var byParent = rollup.All.Where(u => u.UnitId != app.RootId).ToLookup(u => u.ParentId);
        var units = new List<UnitFigures>();
        void Walk(int parent) { foreach (var c in UnitFigures.InSiblingOrder(byParent[parent], u => u.Code)) { units.Add(c); Walk(c.UnitId); } }
        Walk(app.RootId);
        Assert.Equal(rollup.All.Count - 1, units.Count);
        Assert.Equal(units.Count + 1, printed.Count);
        for (var i = 0; i < units.Count; i++)
        {
            Assert.Equal((i + 1).ToString(), printed[i].Key);
            Assert.Equal(Expected(units[i].Figures), printed[i].Values);
        }
        Assert.Equal("Tổng cộng", printed[^1].Key);
        Assert.Equal(Expected(rollup.Totals), printed[^1].Values);
        Assert.Contains(printed[^1].Values, v => v.Length >= 9); // "1.000.000": seven digits

        await ReportImages.WriteAsync(pdf, pages, "province-1m");
    }

    internal static Figures Big(int n) => new()
    {
        Members = n, MembersWithPlan = n - 7, PledgesRegistered = n + 11, PledgesDone = n - 3, CollectiveRegistered = n + 5, CollectiveDone = n - 1,
        ModelsCollective = n + 2, ModelsExemplar = n + 9,
    };

    internal static string[] Expected(Figures f) => Columns.Select(c => AnnexTable.Cell(c, f).Replace('\u00A0', ' ')).ToArray();

    internal static ReportModel Model(IReadOnlyList<ReportModel.AnnexRow> rows, Figures totals) => new()
    {
        Year = 2025, AsOf = new DateOnly(2025, 12, 31), UnitCode = "BIG", ParentBody = "", IssuingBody = "TỈNH ỦY TỈNH MẪU", IssuerName = "Tỉnh ủy tỉnh mẫu",
        NumberLine = "Số 12-BC/TU", PlaceAndDate = "Tỉnh mẫu, ngày 20 tháng 12 năm 2025", Date = new DateOnly(2025, 12, 20),
        Subject = "kết quả thực hiện Chỉ thị 05-CT/TW năm 2025", Totals = totals, Indicators = [], Annex = rows,
        Recipients = PartyDocuments.Recipients(PartyDocuments.Issuer.Province, null), SignerOnBehalf = "T/M BAN THƯỜNG VỤ", SignerTitle = "BÍ THƯ",
    };
}

/// <summary>The same checks on a made-up annex: 5.000 units, seven digits in every count column, very long names.</summary>
public sealed class AnnexScaleTests
{
    private static readonly IReadOnlyList<AnnexColumns.Column> Columns = AnnexColumns.All;
    private static Figures Big(int n) => AnnexLayoutTests.Big(n);
    private static string[] Expected(Figures f) => AnnexLayoutTests.Expected(f);
    private static ReportModel Model(IReadOnlyList<ReportModel.AnnexRow> rows, Figures totals) => AnnexLayoutTests.Model(rows, totals);

    [Fact]
    public async Task Seven_digit_figures_in_every_column_and_long_unit_names_stay_inside_their_cells()
    {
        var rows = new List<ReportModel.AnnexRow>();
        for (var i = 0; i < 5_000; i++)
        {
            var name = i % 97 == 0
                ? $"Đảng ủy cơ quan Ủy ban nhân dân và các ban, ngành, đoàn thể liên cơ quan của tỉnh số {i} (Bộ phận một cửa liên thông hiện đại cấp tỉnh)"
                : i % 13 == 0 ? $"Chi bộ Khuđôthịmớiliênhợpthươngmạiquốctế{i}" : $"Chi bộ Tổ dân phố {i}";
            rows.Add(new ReportModel.AnnexRow($"U{i}", name, 1 + i % 3, Big(1_000_000 + i * 1_789)));
        }
        var totals = Big(9_999_999);
        var model = Model(rows, totals);
        var pdf = ReportDocument.Render(model);

        var pages = await PdfWords.ReadAsync(pdf);
        var overlaps = PdfWords.Overlaps(pages);
        Assert.True(overlaps.Count == 0, "overlapping words: " + string.Join("; ", overlaps.Take(5).Select(o => $"p{o.A.Page} '{o.A.Text}'/'{o.B.Text}'")));
        var printed = PdfWords.AnnexRows(pages, Columns.Count);
        Assert.Equal(rows.Count + 1, printed.Count);
        for (var i = 0; i < rows.Count; i++) Assert.Equal(Expected(rows[i].Figures), printed[i].Values);
        Assert.Equal(Expected(totals), printed[^1].Values);

        // The header of the annex wraps to at most three lines: its first row ends before the first figure row.
        var annexPage = pages.First(p => p.Landscape);
        var lines = annexPage.Lines();
        var firstRow = lines.First(l => l[0].Text == "1");
        var header = lines.First(l => l[0].Text == "TT")[0];
        // From the header's top to the first row's top: three lines of text and the padding, not four.
        var band = firstRow[0].YMin - header.YMin;
        var wordHeight = header.YMax - header.YMin;
        Assert.True(band < 4 * wordHeight, $"header band {band:0.0} pt for words of {wordHeight:0.0} pt");
        await PdfText.RenderPngAsync(pdf, annexPage.Number, "annex-seven-digits");
    }

}
