using System.Reflection;

namespace HocLamTheoBac.Web.Infrastructure;

/// <summary>
/// A form posted with a version someone else has since saved over (models, problems, leaders' tasks): nothing is saved,
/// what the user typed stays in the form, and the message names each field where the record as it is now differs from
/// the form, with its current value (labels and values as the audit page shows them: one home). The form then carries
/// the current version, so saving again overwrites knowingly. The walk of session 16 found the typed text replaced by
/// the record's and the user asked to type it again.
/// </summary>
public static class StaleForms
{
    /// <summary>"Label: current value" for each field (but the version) where <paramref name="current"/> differs from <paramref name="typed"/>.</summary>
    public static List<string> Differences<TInput>(TInput typed, TInput current, string entityType)
    {
        var list = new List<string>();
        foreach (var p in typeof(TInput).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.Name == "Version" || !p.CanRead || p.GetIndexParameters().Length > 0) continue;
            var now = p.GetValue(current);
            if (Equals(Plain(p.GetValue(typed)), Plain(now))) continue;
            list.Add($"{AuditValues.Label(entityType, p.Name)}: {AuditValues.Show(entityType, p.Name, now)}");
        }
        return list;
    }

    /// <summary>The page's sentence that the record changed, the differences, and what happens next.</summary>
    public static string Message(string changed, IReadOnlyList<string> differences) =>
        changed
        + (differences.Count > 0 ? " Bản đang lưu khác biểu mẫu của bạn ở: " + string.Join("; ", differences) + "." : "")
        + " Biểu mẫu vẫn giữ nội dung bạn đã gõ, chưa lưu: xem lại rồi bấm Lưu để ghi đè, hoặc tải lại trang để bỏ.";

    private static object? Plain(object? v) => v is string s ? (string.IsNullOrWhiteSpace(s) ? null : s.Trim().ReplaceLineEndings("\n")) : v;
}
