using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>Serves an evidence file as an attachment to those who may see its pledge; 404 otherwise.</summary>
public sealed class EvidenceModel(AppDbContext db, AccessService access, EvidenceStore store) : PageModel
{
    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var visible = access.Pledges(scope).Select(p => p.Id);
        var file = await db.PledgeEvidence.AsNoTracking().Where(e => e.Id == id && visible.Contains(e.PledgeId)).FirstOrDefaultAsync(ct);
        if (file is null) return NotFound();
        var full = store.FullPath(file.StoragePath);
        if (!System.IO.File.Exists(full)) return NotFound();
        Response.Headers["X-Content-Type-Options"] = "nosniff";
        return PhysicalFile(full, file.ContentType, file.FileName);
    }
}
