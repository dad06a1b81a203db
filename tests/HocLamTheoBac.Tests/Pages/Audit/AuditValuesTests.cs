using HocLamTheoBac.Tests.Infrastructure;
using HocLamTheoBac.Tests.Pages.Pledges;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Tests.Pages.Audit;

public sealed class AuditValuesTests
{
    [Fact]
    public void A_pledge_change_reads_with_Vietnamese_labels_dates_and_status_labels()
    {
        var before = AuditValues.Read("Pledge", """{"Content":"Trồng cây xanh","Deadline":"2025-12-15","Status":"Approved","TopicId":null}""");
        Assert.Equal([("Nội dung", "Trồng cây xanh"), ("Thời hạn", "15/12/2025"), ("Trạng thái", "Đã duyệt"), ("Nội dung đột phá", "(trống)")], before);
    }

    [Fact]
    public void Times_show_in_Vietnam_time_numbers_with_dots_and_unknown_fields_by_their_code_name()
    {
        var after = AuditValues.Read("PledgeEvidence", """{"UploadedAt":"2025-12-15T02:30:00+00:00","Size":1048576,"Checksum":"ab12"}""");
        Assert.Equal([("Tải lên lúc", "15/12/2025 09:30"), ("Dung lượng (byte)", "1.048.576"), ("Checksum", "ab12")], after);
    }

    /// <summary>The walk of session 13: "Năm: 2.026" on the audit page.</summary>
    [Fact]
    public void Years_and_ids_read_as_written()
    {
        var after = AuditValues.Read("Pledge", """{"Year":2026,"BranchId":1234,"FoundedYear":1990,"Size":2026}""");
        Assert.Equal([("Năm", "2026"), ("Chi bộ", "1234"), ("Năm thành lập", "1990"), ("Dung lượng (byte)", "2.026")], after);
        // The walk of session 16: an indicator's 4,5 read "4.5".
        Assert.Equal([("Giá trị", "4,5"), ("Giá trị", "12.500.000")], AuditValues.Read("IndicatorValue", """{"Value":4.5}""").Concat(AuditValues.Read("IndicatorValue", """{"Value":12500000}""")));
    }

    /// <summary>The walk of session 13: a report's audit row showed English names and statuses and pages of escaped JSON.</summary>
    [Fact]
    public void A_report_s_row_reads_in_Vietnamese_with_its_snapshot_summed_up()
    {
        var after = AuditValues.Read("Report", """{"Status":"Issued","FirstYear":null,"SnapshotJson":"{\"Year\":2026}","Pdf":"(83277 byte)","Strengths":"Tốt"}""");
        Assert.Equal([("Trạng thái", "Đã ban hành"), ("Năm đầu giai đoạn", "(trống)"), ("Số liệu khi ban hành", "(đã lưu, 13 ký tự)"), ("Tệp PDF", "(83.277 byte)"), ("Ưu điểm", "Tốt")], after);
        Assert.Equal([("Trạng thái", MemberStatus.TransferredOut.Label())], AuditValues.Read("Member", """{"Status":"TransferredOut"}"""));
    }

    [Fact]
    public void Nothing_stored_shows_nothing()
    {
        Assert.Empty(AuditValues.Read("Member", null));
        Assert.Empty(AuditValues.Read("Member", " "));
    }
}

/// <summary>
/// The walk of session 15: "PlanDate", "PlanNumber", "RegistrationDeadline" as labels, "Breakthrough" and "Open" as
/// values, and a grade's level labelled "Hình thức". Every field the audit stores of every audited record has a
/// Vietnamese label, and every enum value reads as the pages say it.
/// </summary>
public sealed class AuditValuesCoverageTests
{
    private static readonly string[] NotStored = ["Version", "SecurityStamp", "ConcurrencyStamp"]; // Data/AuditTrail.cs leaves these out

    private static IEnumerable<Microsoft.EntityFrameworkCore.Metadata.IEntityType> Audited()
    {
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<HocLamTheoBac.Web.Data.AppDbContext>()
            .UseNpgsql("Host=127.0.0.1;Port=1").Options;
        using var db = new HocLamTheoBac.Web.Data.AppDbContext(options);
        return db.Model.GetEntityTypes().Where(t => typeof(IAudited).IsAssignableFrom(t.ClrType)).ToList();
    }

    [Fact]
    public void Every_stored_field_of_every_audited_record_has_a_Vietnamese_label_and_every_enum_value_its_words()
    {
        var missing = new List<string>();
        foreach (var t in Audited())
            foreach (var p in t.GetProperties().Where(p => !NotStored.Contains(p.Name) && !p.Name.EndsWith("Hash", StringComparison.Ordinal)))
            {
                if (AuditValues.Label(t.ClrType.Name, p.Name) == p.Name) missing.Add($"{t.ClrType.Name}.{p.Name}");
                var type = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
                if (!type.IsEnum) continue;
                foreach (var name in Enum.GetNames(type))
                {
                    var shown = AuditValues.Read(t.ClrType.Name, $$"""{"{{p.Name}}":"{{name}}"}""").Single().Value;
                    if (shown == name) missing.Add($"{t.ClrType.Name}.{p.Name} = {name}");
                }
            }
        Assert.True(missing.Count == 0, "without Vietnamese words: " + string.Join(", ", missing));
    }

    [Fact]
    public void A_grade_reads_as_its_level_a_topic_as_its_kind_a_problem_as_its_outcome()
    {
        Assert.Equal([("Xếp loại", GradeLevel.Good.Label())], AuditValues.Read(nameof(MemberGrade), """{"Level":"Good"}"""));
        Assert.Equal([("Loại", "Nội dung đột phá")], AuditValues.Read(nameof(Topic), """{"Kind":"Breakthrough"}"""));
        Assert.Equal([("Kết quả giải quyết", ProblemOutcome.Open.Label())], AuditValues.Read(nameof(PressingProblem), """{"Outcome":"Open"}"""));
        Assert.Equal([("Giới tính", "Nữ")], AuditValues.Read(nameof(Member), """{"Gender":"Female"}"""));
    }
}

/// <summary>The walk of session 15: the audit page showed references as numbers ("Chi bộ: 7", "Đảng viên: 33").</summary>
public sealed class AuditReferenceNamesTests(HocLamTheoBac.Tests.Infrastructure.AppFactory app) : IClassFixture<HocLamTheoBac.Tests.Infrastructure.AppFactory>
{
    [Fact]
    public async Task A_model_s_row_names_its_unit_and_member_with_their_numbers()
    {
        var tdp1 = await app.OrgIdAsync("TQ-TP-PT-TDP1");
        var member = (await app.MembersAsync("TQ-TP-PT-TDP1"))[3];
        var unitName = await app.DbAsync(db => db.OrgUnits.Where(u => u.Id == tdp1).Select(u => u.Name).SingleAsync());
        var memberName = member.Name;
        var secretary = await app.SignedInAsync("bithu@hlb.local");
        var r = await secretary.PostFormAsync($"/Models/Create?unitId={tdp1}&year=2025", new()
        {
            ["Input.Kind"] = "2", ["Input.Title"] = "Điển hình có tên trong nhật ký", ["Input.MemberId"] = member.Id.ToString(),
        });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, r.StatusCode);

        var html = System.Net.WebUtility.HtmlDecode(await (await app.SignedInAsync("admin@hlb.local")).HtmlAsync("/Audit?Entity=ExemplaryModel"));
        var at = html.IndexOf("Điển hình có tên trong nhật ký", StringComparison.Ordinal);
        var start = html.LastIndexOf("<tr>", at, StringComparison.Ordinal);
        var row = html[start..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
        Assert.Contains($"Đơn vị:</span> {unitName} (#{tdp1})", row);
        Assert.Contains($"Đảng viên:</span> {memberName} (#{member.Id})", row);
    }

    /// <summary>The walk of session 19: "Từ ngày" after "Đến ngày" showed the log's headings over nothing, without a word.</summary>
    [Fact]
    public async Task Days_typed_the_wrong_way_round_are_said_and_an_empty_log_says_that_nothing_matches()
    {
        var admin = await app.SignedInAsync("admin@hlb.local");
        var html = System.Net.WebUtility.HtmlDecode(await admin.HtmlAsync("/Audit?from=02/11/2026&to=01/11/2026"));
        Assert.Contains("Đến ngày 01/11/2026 trước Từ ngày 02/11/2026: không có khoảng thời gian nào như vậy; vui lòng đổi lại hai ngày.", html);
        Assert.Contains("Không có thay đổi nào phù hợp với bộ lọc.", html);
        // The days stay in their boxes to be corrected.
        Assert.Contains("value=\"02/11/2026\"", html);
        html = System.Net.WebUtility.HtmlDecode(await admin.HtmlAsync("/Audit?actor=kh%C3%B4ng-ai-c%C3%B3-t%C3%AAn-n%C3%A0y"));
        Assert.Contains("Không có thay đổi nào phù hợp với bộ lọc.", html);
        Assert.DoesNotContain("vui lòng đổi lại hai ngày", html);
    }

    /// <summary>The walk of session 16: a role's grant read "Tài khoản: 5cb9…" (the account's id).</summary>
    [Fact]
    public async Task A_role_grant_names_the_account_by_its_e_mail()
    {
        var id = await app.CreateAccountAsync("ten.trong.nhat.ky@hlb.local", AppRole.Staff, "TQ-TP-PT");
        var admin = await app.SignedInAsync("admin@hlb.local");
        var r = await admin.PostFormAsync($"/Users/Edit/{id}?handler=Grant", new() { ["Grant.Role"] = "Staff", ["Grant.OrgCode"] = "TQ-YS" }, getUrl: $"/Users/Edit/{id}");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, r.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await admin.HtmlAsync("/Audit?Entity=RoleBinding"));
        Assert.Contains("Tài khoản:</span> ten.trong.nhat.ky@hlb.local", html);
        Assert.DoesNotContain(id, html);
    }

    [Fact]
    public void A_reference_not_named_for_the_reader_reads_as_its_number()
    {
        var names = new Dictionary<(AuditValues.Reference, string), string> { [(AuditValues.Reference.Unit, "7")] = "Chi bộ Tổ dân phố 1", [(AuditValues.Reference.Account, "5cb9-ab")] = "bithu@hlb.local" };
        Assert.Equal([("Chi bộ", "Chi bộ Tổ dân phố 1 (#7)"), ("Đảng viên", "33")], AuditValues.Read("Pledge", """{"BranchId":7,"MemberId":33}""", names));
        Assert.Equal([(AuditValues.Reference.Unit, "7"), (AuditValues.Reference.Member, "33")], AuditValues.ReferencesIn("""{"BranchId":7,"MemberId":33,"Year":2025}"""));
        // An account is named by its e-mail alone; one the reader may not see keeps its id.
        Assert.Equal([("Tài khoản", "bithu@hlb.local")], AuditValues.Read("RoleBinding", """{"UserId":"5cb9-ab"}""", names));
        Assert.Equal([("Tài khoản", "ffff-00")], AuditValues.Read("RoleBinding", """{"UserId":"ffff-00"}""", names));
        // A quota's kind of organisation by its name (the walk of session 17: "Loại tổ chức: 7").
        Assert.Equal([(AuditValues.Reference.Kind, "7")], AuditValues.ReferencesIn("""{"OrgKindId":7}"""));
        names[(AuditValues.Reference.Kind, "7")] = "Chi bộ trực thuộc";
        Assert.Equal([("Loại tổ chức", "Chi bộ trực thuộc (#7)")], AuditValues.Read("ModelQuota", """{"OrgKindId":7}""", names));
    }
}
