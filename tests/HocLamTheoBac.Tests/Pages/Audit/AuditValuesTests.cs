using HocLamTheoBac.Web.Pages.Audit;

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

    [Fact]
    public void Nothing_stored_shows_nothing()
    {
        Assert.Empty(AuditValues.Read("Member", null));
        Assert.Empty(AuditValues.Read("Member", " "));
    }
}
