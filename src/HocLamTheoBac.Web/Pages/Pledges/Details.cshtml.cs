using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Data;
using HocLamTheoBac.Web.Domain;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace HocLamTheoBac.Web.Pages.Pledges;

/// <summary>One pledge: its life cycle actions (as the rules allow this user), edit with concurrency check, evidence files.</summary>
public sealed class DetailsModel(AppDbContext db, AccessService access, EvidenceStore store) : PageModel
{
    [TempData] public string? StatusMessage { get; set; }
    [BindProperty] public InputModel Input { get; set; } = new();
    public DateOnly Today => db.Clock.Today;

    /// <summary>The edit form (the pledge's fields, <see cref="PledgeForm"/>, and its topic), or an action with its note.</summary>
    public sealed class InputModel : PledgeForm
    {
        public uint Version { get; set; }
        public PledgeAction? Action { get; set; }
        [StringLength(PledgeLimits.EvidenceNote, ErrorMessage = PledgeLimits.EvidenceNoteMessage)]
        public string? Note { get; set; }
        public int? TopicId { get; set; }
    }

    public Pledge Pledge { get; private set; } = null!;
    public string BranchName { get; private set; } = "";
    public PledgeRole Role { get; private set; }
    /// <summary>The branch grid link is shown only to those the grid lets in (Pages/Pledges/Branch checks ViewMembers).</summary>
    public bool CanOpenGrid { get; private set; }
    public bool YearClosed { get; private set; }
    public List<PledgeAction> Actions { get; private set; } = [];
    public bool CanEdit { get; private set; }
    /// <summary>Evidence may be attached (and removed) now: PledgeRules' AttachEvidence and RemoveEvidence.</summary>
    public bool CanUpload { get; private set; }
    public bool CanRemoveEvidence { get; private set; }
    public List<PledgeEvidence> Evidence { get; private set; } = [];
    public List<(int Id, string Title)> Topics { get; private set; } = [];
    public string? TopicTitle { get; private set; }
    public List<string> Errors { get; } = [];
    /// <summary>Status changes and the notes given with them, oldest first (<see cref="PledgeHistory"/>).</summary>
    public List<PledgeHistory.Step> History { get; private set; } = [];
    /// <summary>The action whose note was refused (missing reason, too long): its box is marked and keeps the text.</summary>
    public PledgeAction? InvalidNoteFor { get; private set; }

    private async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(ct);
        var pledge = await access.Pledges(scope).Include(p => p.Member).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (pledge is null) return false;
        Pledge = pledge;
        var branch = await db.OrgUnits.AsNoTracking().Where(u => u.Id == pledge.BranchId).Select(u => new { u.Name, u.Path }).SingleAsync(ct);
        BranchName = branch.Name;
        Role = AccessService.PledgeRoleFor(scope, pledge.MemberId, branch.Path);
        YearClosed = await YearGuard.IsClosedAsync(db, branch.Path, pledge.Year, ct);
        CanOpenGrid = await access.CanAsync(Permission.ViewMembers, pledge.BranchId, ct);
        Actions = Enum.GetValues<PledgeAction>().Where(a => PledgeRules.IsTransition(a) && PledgeRules.Allows(Role, a, pledge.Status, YearClosed)).ToList();
        CanEdit = PledgeRules.Allows(Role, PledgeAction.Edit, pledge.Status, YearClosed);
        CanUpload = PledgeRules.Allows(Role, PledgeAction.AttachEvidence, pledge.Status, YearClosed);
        CanRemoveEvidence = PledgeRules.Allows(Role, PledgeAction.RemoveEvidence, pledge.Status, YearClosed);
        Evidence = await db.PledgeEvidence.AsNoTracking().Where(e => e.PledgeId == id).OrderBy(e => e.Id).ToListAsync(ct);
        var ids = OrgPaths.Ids(branch.Path).ToList();
        Topics = (await db.Topics.AsNoTracking().Where(t => t.Year == pledge.Year && t.Kind == TopicKind.Breakthrough && ids.Contains(t.OrgUnitId))
            .OrderBy(t => t.Id).Select(t => new { t.Id, t.Title }).ToListAsync(ct)).Select(t => (t.Id, t.Title)).ToList();
        TopicTitle = Topics.FirstOrDefault(t => t.Id == pledge.TopicId).Title;
        History = await PledgeHistory.LoadAsync(db, id, ct);
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        BuildForm(keepTyped: false);
        return Page();
    }

    public async Task<IActionResult> OnPostActAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        ModelState.Clear();
        if (Input.Action is not { } action || action == PledgeAction.Edit) return BadRequestPage("Thao tác không hợp lệ.");
        if (PledgeRules.Refusal(Role, action, Pledge.Status, YearClosed) is { } refusal) return BadRequestPage(refusal);
        // A missing or too long note is a value the user corrects (ADR 0021): the form again, 200, the text kept.
        if (PledgeRules.NeedsReason(action) && string.IsNullOrWhiteSpace(Input.Note)) return InvalidNote(action, PledgeRules.ReasonRequired);
        if (PledgeRules.NoteTooLong(action, Input.Note) is { } tooLong) return InvalidNote(action, tooLong);
        db.Entry(Pledge).Property(x => x.Version).OriginalValue = Input.Version;
        PledgeRules.Apply(Pledge, Role, action, Input.Note, YearClosed, db.Clock.Now);
        if (!await SaveAsync(ct)) return await ReloadAsync(id, ct);
        StatusMessage = $"{action.Label()}: đã ghi nhận.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostEditAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (PledgeRules.Refusal(Role, PledgeAction.Edit, Pledge.Status, YearClosed) is { } refusal) return BadRequestPage(refusal);
        if (string.IsNullOrWhiteSpace(Input.Content)) ModelState.AddModelError("Input.Content", PledgeForm.ContentRequired);
        if (Input.TopicId is { } t && Topics.All(x => x.Id != t)) ModelState.AddModelError("Input.TopicId", "Nội dung đột phá không hợp lệ.");
        if (Input.Deadline != Pledge.Deadline && PledgeRules.DeadlineRefusal(Pledge.Year, Input.Deadline) is { } dl) ModelState.AddModelError("Input.Deadline", dl);
        if (!ModelState.IsValid) return Page();
        db.Entry(Pledge).Property(x => x.Version).OriginalValue = Input.Version;
        Input.ApplyTo(Pledge);
        Pledge.TopicId = Input.TopicId;
        if (!await SaveAsync(ct)) return await ReloadAsync(id, ct);
        StatusMessage = "Đã lưu việc làm theo." + (PledgeRules.PastDeadlineNote(Pledge.Deadline, db.Clock.Today) is { } late ? " " + late : "");
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostUploadAsync(int id, IFormFile? file, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        ModelState.Clear();
        if (PledgeRules.Refusal(Role, PledgeAction.AttachEvidence, Pledge.Status, YearClosed) is { } refusal) return BadRequestPage(refusal);
        if (file is null) return InvalidPage($"Vui lòng chọn tệp minh chứng (PDF, PNG hoặc JPEG, tối đa {EvidenceLimits.BytesPerFile / (1024 * 1024)} MB).");
        if (await EvidenceStore.CheckAsync(file, ct) is { } bad) return InvalidPage(bad);
        await using var tx = await LockAsync(ct);
        if (PledgeRules.Refusal(Role, PledgeAction.AttachEvidence, Pledge.Status, YearClosed) is { } late) return BadRequestPage(late);
        var onPledge = await db.PledgeEvidence.CountAsync(e => e.PledgeId == id, ct);
        var memberId = Pledge.MemberId;
        var year = Pledge.Year;
        var memberBytes = await db.PledgeEvidence
            .Where(e => db.Pledges.IgnoreQueryFilters().Any(p => p.Id == e.PledgeId && p.MemberId == memberId && p.Year == year))
            .SumAsync(e => (long?)e.Size, ct) ?? 0;
        if (EvidenceLimits.Refusal(onPledge, memberBytes, file.Length, year) is { } limit) return InvalidPage(limit);
        var (error, stored) = await store.SaveAsync(file, year, ct);
        if (error is not null) return InvalidPage(error);
        try
        {
            db.PledgeEvidence.Add(new PledgeEvidence
            {
                PledgeId = id, Pledge = Pledge, FileName = EvidenceStore.SafeName(file.FileName, stored!.ContentType), ContentType = stored.ContentType,
                Size = stored.Size, StoragePath = stored.RelativePath, UploadedAt = db.Clock.Now, UploadedBy = User.Identity?.Name,
            });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch
        {
            store.Delete(stored!.RelativePath);
            throw;
        }
        StatusMessage = "Đã tải lên minh chứng.";
        return RedirectToPage(new { id });
    }

    /// <summary>Removes one evidence file (row audited with its name, size and uploader; the bytes are deleted).</summary>
    public async Task<IActionResult> OnPostRemoveEvidenceAsync(int id, int evidenceId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        ModelState.Clear();
        if (PledgeRules.Refusal(Role, PledgeAction.RemoveEvidence, Pledge.Status, YearClosed) is { } refusal) return BadRequestPage(refusal);
        await using var tx = await LockAsync(ct);
        if (PledgeRules.Refusal(Role, PledgeAction.RemoveEvidence, Pledge.Status, YearClosed) is { } late) return BadRequestPage(late);
        var evidence = await db.PledgeEvidence.FirstOrDefaultAsync(e => e.Id == evidenceId && e.PledgeId == id, ct);
        if (evidence is null) return NotFound();
        evidence.Pledge = Pledge;
        db.PledgeEvidence.Remove(evidence);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        store.Delete(evidence.StoragePath);
        StatusMessage = $"Đã gỡ minh chứng “{evidence.FileName}”.";
        return RedirectToPage(new { id });
    }

    /// <summary>
    /// Evidence changes one at a time per member: the member's row, then the pledge's, are locked and the pledge re-read,
    /// so the limits hold under concurrent uploads and nothing is attached or removed once the pledge has been judged.
    /// </summary>
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> LockAsync(CancellationToken ct)
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM members WHERE id = {Pledge.MemberId} FOR UPDATE", ct);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM pledges WHERE id = {Pledge.Id} FOR UPDATE", ct);
        await db.Entry(Pledge).ReloadAsync(ct);
        return tx;
    }

    private async Task<bool> SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            var current = await db.Pledges.AsNoTracking().Include(p => p.Member).FirstOrDefaultAsync(p => p.Id == Pledge.Id, ct);
            Errors.Add(current is null ? "Việc làm theo này đã bị xóa." : PledgeText.Conflict(current));
            return false;
        }
    }

    /// <summary>
    /// The edit form, built here only: the pledge's values (a page shown afresh, or after an action), or every field the
    /// user typed on the edit form (a refused or conflicting save), always with the pledge's current version so a
    /// deliberate second save works. The note typed with an action is kept either way.
    /// </summary>
    private void BuildForm(bool keepTyped)
    {
        if (!keepTyped)
        {
            var form = new InputModel { TopicId = Pledge.TopicId, Note = Input.Note };
            form.CopyFrom(Pledge);
            Input = form;
        }
        Input.Version = Pledge.Version;
    }

    private async Task<IActionResult> ReloadAsync(int id, CancellationToken ct)
    {
        var editing = Input.Action is null;
        if (!await LoadAsync(id, ct)) return NotFound();
        BuildForm(keepTyped: editing);
        ModelState.Clear();
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    /// <summary>A file that cannot be taken (none chosen, wrong type, too big, over the limits): the page again with the
    /// message, 200 like every other form; refusals of the action itself stay <see cref="BadRequestPage"/>.</summary>
    private PageResult InvalidPage(string message)
    {
        Errors.Add(message);
        BuildForm(keepTyped: Input.Action is null && Input.Content is not null);
        return Page();
    }

    private PageResult InvalidNote(PledgeAction action, string message)
    {
        InvalidNoteFor = action;
        return InvalidPage(message);
    }

    private PageResult BadRequestPage(string message)
    {
        Errors.Add(message);
        BuildForm(keepTyped: Input.Action is null && Input.Content is not null);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
