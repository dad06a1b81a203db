namespace HocLamTheoBac.Web.Domain;

/// <summary>
/// How much evidence one pledge and one member may hold, so no one can fill the server's disk: at most <see cref="FilesPerPledge"/> files per pledge,
/// <see cref="BytesPerFile"/> per file and <see cref="BytesPerMemberYear"/> for all of one member's pledges of a plan year.
/// A removed file no longer counts (its bytes are gone). Who may attach or remove: <see cref="PledgeRules"/>.
/// </summary>
public static class EvidenceLimits
{
    public const int FilesPerPledge = 5;
    public const long BytesPerFile = 5L * 1024 * 1024;
    public const long BytesPerMemberYear = 50L * 1024 * 1024;

    /// <summary>Null when one more file of <paramref name="size"/> bytes fits; otherwise why not, in Vietnamese.</summary>
    public static string? Refusal(int filesOnPledge, long memberBytesThisYear, long size, int year)
    {
        if (filesOnPledge >= FilesPerPledge)
            return $"Mỗi việc làm theo có tối đa {FilesPerPledge} tệp minh chứng. Hãy gỡ bớt một tệp trước khi gửi tệp khác.";
        if (memberBytesThisYear + size > BytesPerMemberYear)
            return $"Tổng dung lượng minh chứng của một đảng viên trong năm {year} tối đa {BytesPerMemberYear / (1024 * 1024)} MB "
                   + $"(đã dùng {Megabytes(memberBytesThisYear)} MB). Hãy gỡ bớt tệp hoặc gửi tệp nhỏ hơn.";
        return null;
    }

    private static string Megabytes(long bytes) =>
        (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("vi-VN"));
}
