using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Pages.Audit;
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
