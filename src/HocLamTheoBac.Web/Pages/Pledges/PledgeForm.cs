using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Domain;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>
/// The fields of one pledge as a person writes them, shared by the pledge page's edit form and the member's
/// "register a pledge" form (with the partial _PledgeFields.cshtml): the checks, reading from a pledge and writing to it.
/// A new field of a pledge is added here once rather than in each form.
/// </summary>
public class PledgeForm
{
    public const string ContentRequired = "Vui lòng nhập nội dung việc làm theo.";

    [StringLength(PledgeLimits.Content, ErrorMessage = PledgeLimits.ContentMessage)]
    public string? Content { get; set; }

    [StringLength(PledgeLimits.Solution, ErrorMessage = PledgeLimits.SolutionMessage)]
    public string? Solution { get; set; }

    [Display(Name = "Thời hạn")]
    public DateOnly? Deadline { get; set; }

    public void CopyFrom(Pledge pledge)
    {
        Content = pledge.Content;
        Solution = pledge.Solution;
        Deadline = pledge.Deadline;
    }

    /// <summary>Writes the fields to the pledge, trimmed; an empty optional field is stored as null. Content is checked first.</summary>
    public void ApplyTo(Pledge pledge)
    {
        pledge.Content = Content!.Trim();
        pledge.Solution = Clean(Solution);
        pledge.Deadline = Deadline;
    }

    private static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
