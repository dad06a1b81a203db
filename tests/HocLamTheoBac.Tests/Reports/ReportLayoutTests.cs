using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Reports;
using HocLamTheoBac.Web.Reports.Pdf;

namespace HocLamTheoBac.Tests.Reports;

/// <summary>Layout of the Party document, on report models built from made-up roll-ups (no database needed).</summary>
public sealed class ReportLayoutTests
{
    private static UnitFigures Unit(int id, int? parent, string code, string name, bool branch, int depth, Figures f) =>
        new(id, parent, code, name, branch ? "Chi bộ" : "Cấp ủy", branch ? "CB" : "HU", branch, depth, f);

    private static RollupResult Rollup(string name, bool branch, Figures f, int year = 2025) =>
        new(year, new DateOnly(year, 12, 31), Unit(1, null, "X", name, branch, 1, f),
            [Unit(2, 1, "X-1", "Chi bộ Tổ dân phố 1", true, 2, f)], [Unit(1, null, "X", name, branch, 1, f), Unit(2, 1, "X-1", "Chi bộ Tổ dân phố 1", true, 2, f)], []);

    private static ReportModel Model(string name, bool branch, Figures f, string? parent = "Tỉnh ủy Tuyên Quang", string kindSymbol = "HU", Report? report = null) =>
        ReportModel.Build(Rollup(name, branch, f), report ?? new Report { Year = 2025, Place = "Tuyên Quang", SignerName = "Nguyễn Văn An" }, parent, name, kindSymbol, branch, new DateOnly(2025, 12, 20));

    private static readonly Figures Some = new()
    {
        Members = 120, MembersWithPlan = 118, PledgesRegistered = 240, PledgesDone = 235, CollectiveRegistered = 12, CollectiveDone = 11,
        StudySessions = 3, AttendancePresent = 300, AttendanceRecorded = 330, Plans = 4, ModelsCollective = 2, ModelsExemplar = 3,
    };

    [Theory]
    [InlineData("Tỉnh ủy Tuyên Quang", false, "HU", "BC/TU")]
    [InlineData("Thành ủy Tuyên Quang", false, "HU", "BC/TU")]
    [InlineData("Thị ủy Sa Pa", false, "HU", "BC/TU")]
    [InlineData("Huyện ủy Yên Sơn", false, "HU", "BC/HU")]
    [InlineData("Quận ủy Ba Đình", false, "HU", "BC/QU")]
    [InlineData("Đảng ủy phường Phan Thiết", false, "ĐU", "BC/ĐU")]
    [InlineData("Chi bộ Tổ dân phố 1", true, "CB", "BC/CB")]
    public void The_numbering_symbol_follows_the_issuing_body(string name, bool branch, string kindSymbol, string symbol)
    {
        Assert.EndsWith("-" + symbol, Model(name, branch, Some, kindSymbol: kindSymbol).NumberLine);
    }

    [Fact]
    public void A_branch_speaks_of_the_whole_branch_and_reports_to_its_committee_a_province_to_the_centre_with_the_2025_board_names()
    {
        var branch = Model("Chi bộ Tổ dân phố 1", true, Some, parent: "Đảng ủy phường Phan Thiết");
        Assert.Contains("toàn chi bộ", ReportText.Leadership(branch));
        Assert.DoesNotContain("Đảng bộ", ReportText.Leadership(branch));
        Assert.Equal("T/M CHI BỘ", branch.SignerOnBehalf);
        Assert.Contains("- Đảng ủy phường Phan Thiết (để báo cáo),", branch.Recipients);
        Assert.DoesNotContain(branch.Recipients, r => r.Contains("Văn phòng"));

        var province = Model("Tỉnh ủy Tuyên Quang", false, Some, parent: null);
        Assert.Contains("toàn Đảng bộ tỉnh", ReportText.Leadership(province));
        Assert.Contains("- Ban Tuyên giáo và Dân vận Trung ương (để báo cáo),", province.Recipients);
        Assert.Equal("T/M BAN THƯỜNG VỤ", province.SignerOnBehalf);

        Assert.Contains("toàn Đảng bộ phường", ReportText.Leadership(Model("Đảng ủy phường Phan Thiết", false, Some, parent: "Thành ủy Tuyên Quang")));
        Assert.Contains("Năm 2025, toàn Đảng bộ ban hành", ReportText.Leadership(Model("Đảng ủy cơ quan Ủy ban nhân dân huyện", false, Some)));

        var city = Model("Thành ủy Tuyên Quang", false, Some);
        Assert.Contains("- Ban Thường vụ Tỉnh ủy Tuyên Quang (để báo cáo),", city.Recipients);
        Assert.Contains("- Ban Tuyên giáo và Dân vận Tỉnh ủy Tuyên Quang (để báo cáo),", city.Recipients);
        Assert.Equal("ĐẢNG BỘ TỈNH TUYÊN QUANG", city.ParentBody);
    }

    [Fact]
    public void Zero_figures_are_said_in_words_and_no_sentence_prints_a_dash_for_a_rate()
    {
        var m = Model("Đảng ủy phường Phan Thiết", false, new Figures { Members = 40, MembersWithPlan = 40, PledgesRegistered = 60, PledgesDone = 60 });
        var text = string.Join(" ", ReportText.Leadership(m), ReportText.Plans(m), ReportText.Models(m), ReportText.Problems(m), ReportText.Commendations(m));
        Assert.DoesNotContain(Rate.None, text);
        Assert.DoesNotMatch(@"(^|\s)0 ", text);
        Assert.Contains("chưa tổ chức học tập chuyên đề", text);
        Assert.Contains("Không có nhiệm vụ đột phá được giao", text);
        Assert.Contains("Không có vấn đề bức xúc", text);
        Assert.Contains("Chưa có tập thể, cá nhân được biểu dương, khen thưởng", text);
    }

    [Fact]
    public void Commendations_are_counted_in_lượt_without_saying_a_single_one_went_to_units_and_persons()
    {
        var one = ReportText.Commendations(Model("Đảng ủy phường Phan Thiết", false, new Figures { Members = 40, Praises = 1 }));
        Assert.Equal("Tập thể, cá nhân được biểu dương, khen thưởng trong việc học tập và làm theo Bác: biểu dương 1 lượt.", one);
        var many = ReportText.Commendations(Model("Đảng ủy phường Phan Thiết", false, new Figures { Members = 40, Praises = 1200, Certificates = 3, Merits = 1 }));
        Assert.Equal("Tập thể, cá nhân được biểu dương, khen thưởng trong việc học tập và làm theo Bác: biểu dương 1.200 lượt, tặng giấy khen 3 lượt, bằng khen 1 lượt.", many);
    }

    [Fact]
    public async Task The_signature_block_always_shares_its_page_with_text_of_section_IV()
    {
        for (var n = 0; n <= 36; n += 2)
        {
            var report = new Report
            {
                Year = 2025, Place = "Tuyên Quang", SignerName = "Nguyễn Văn An",
                Strengths = string.Join(" ", Enumerable.Range(1, n).Select(i => $"Ưu điểm thứ {i} được các cấp ủy phát huy.")),
                Direction = n % 4 == 0 ? null : string.Join("\n", Enumerable.Range(1, 1 + n / 3).Select(i => $"Nhiệm vụ phương hướng thứ {i}: tiếp tục đẩy mạnh học tập và làm theo Bác.")),
            };
            var pdf = ReportDocument.Render(Model("Thành ủy Tuyên Quang", false, Some, report: report));
            var pages = (await PdfText.ExtractAsync(pdf)).Split('\f');
            var signed = pages.Single(p => p.Contains("Nơi nhận:"));
            Assert.True(signed.Contains("Nhiệm vụ phương hướng thứ") || signed.Contains("IV. PHƯƠNG HƯỚNG"),
                $"with {n} strengths the signature stands alone on its page:\n{signed}");
            Assert.Contains("T/M BAN THƯỜNG VỤ", signed);
        }
    }

    /// <summary>The walk of session 15: "III. ĐÁNH GIÁ CHUNG" stood alone at the foot of page 1, its text on page 2. Whatever
    /// the length of the texts before it, no page ends with a heading.</summary>
    [Fact]
    public async Task No_page_ends_with_a_heading_whatever_the_length_of_the_text_before_it()
    {
        string[] headings = ["I. CÔNG TÁC", "II. KẾT QUẢ", "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG", "1. Xây dựng và thực hiện", "2. Xây dựng mô hình",
            "3. Nội dung đột phá", "4. Biểu dương", "5. Các chỉ tiêu", "1. Ưu điểm", "2. Hạn chế"];
        var failures = new List<string>();
        for (var n = 0; n <= 60; n++)
        {
            var report = new Report
            {
                Year = 2025, Place = "Tuyên Quang", SignerName = "Nguyễn Văn An",
                LeadershipText = string.Join(" ", Enumerable.Range(1, n).Select(i => $"Cấp ủy đã lãnh đạo nội dung thứ {i}.")),
                Strengths = "Các cấp ủy phát huy tốt.", Limitations = "Một số nơi còn chậm.", Direction = "Tiếp tục đẩy mạnh học tập và làm theo Bác.",
            };
            var pages = (await PdfText.ExtractAsync(ReportDocument.Render(Model("Thành ủy Tuyên Quang", false, Some, report: report)))).Split('\f');
            foreach (var (page, i) in pages.Select((p, i) => (p, i)).SkipLast(1))
            {
                var last = page.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0 && !l.All(char.IsDigit));
                if (last is not null && headings.Any(h => last.StartsWith(h, StringComparison.Ordinal))) failures.Add($"{n} sentences: page {i + 1} ends with “{last}”");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Lines_never_break_inside_Ho_Chi_Minh_nor_inside_a_units_proper_name_in_the_header()
    {
        var m = Model("Đảng ủy phường Phan Thiết", false, Some, parent: "Thành ủy Phan Thiết");
        var page1 = await PdfText.ExtractAsync(ReportDocument.Render(m), 1, 1);
        var lines = page1.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\s+", " ").Trim()).ToList();
        Assert.Contains("Hồ Chí Minh", page1);
        Assert.DoesNotContain(lines, l => l.EndsWith("Hồ Chí", StringComparison.Ordinal) || l.EndsWith(" Hồ", StringComparison.Ordinal));
        // Each header line ends with a whole word group: never "… PHAN" / "THIẾT …".
        Assert.Equal(2, lines.Count(l => l.Contains("PHAN THIẾT", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("PHAN ") && !l.Contains("PHAN THIẾT"));
        Assert.Contains(lines, l => l.StartsWith("ĐẢNG ỦY PHƯỜNG", StringComparison.Ordinal));
    }

    [Fact]
    public void The_annex_caption_names_the_number_the_date_and_the_issuer()
    {
        var m = Model("Tỉnh ủy Tuyên Quang", false, Some, parent: null, report: new Report { Year = 2025, Number = 35, Symbol = "BC/TU", Status = ReportStatus.Issued, Place = "Tuyên Quang" });
        Assert.Equal("(Kèm theo Báo cáo số 35-BC/TU ngày 20/12/2025 của Tỉnh ủy Tuyên Quang)", m.AnnexCaption);
        // A draft without its number yet: named by its year, not "số -BC/TU".
        var draft = Model("Tỉnh ủy Tuyên Quang", false, Some, parent: null, report: new Report { Year = 2025, Symbol = "BC/TU", Status = ReportStatus.Draft, Place = "Tuyên Quang" });
        Assert.Equal("(Kèm theo Dự thảo báo cáo năm 2025 ngày 20/12/2025 của Tỉnh ủy Tuyên Quang)", draft.AnnexCaption);
    }
}
