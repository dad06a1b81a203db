using System.ComponentModel.DataAnnotations;
using HocLamTheoBac.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using HocLamTheoBac.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace HocLamTheoBac.Web.Pages.Account;

[EnableRateLimiting(LoginThrottle.Policy)]
public sealed class LoginModel(SignInManager<AppUser> signIn, LoginThrottle throttle, ILogger<LoginModel> log) : PageModel
{
    /// <summary>
    /// One message for an unknown account, a wrong password and a locked account, so none can be probed;
    /// the time taken is the same too (an unknown account still costs one password hash).
    /// </summary>
    public const string InvalidCredentials = "Email hoặc mật khẩu không đúng. Nếu vẫn không đăng nhập được, hãy liên hệ quản trị viên.";
    public const string LockedOut = InvalidCredentials;

    // A hash of a random password, verified when the account does not exist so the answer takes as long.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<AppUser>().HashPassword(new AppUser(), Guid.NewGuid().ToString()));

    [BindProperty] public InputModel Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Vui lòng nhập email."), EmailAddress(ErrorMessage = "Email không hợp lệ."), StringLength(256)]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Vui lòng nhập mật khẩu."), DataType(DataType.Password), StringLength(200)]
        public string Password { get; set; } = "";

        public bool RememberMe { get; set; }
    }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A checkbox re-rendered with a posted value that is not a boolean throws in the tag helper: treat it as unticked.
        if (ModelState.GetFieldValidationState("Input.RememberMe") == ModelValidationState.Invalid) ModelState.Remove("Input.RememberMe");
        if (!ModelState.IsValid) return Page();
        if (!throttle.TryAttempt(Input.Email, HttpContext.Connection.RemoteIpAddress?.ToString()))
        {
            log.LogWarning("Sign-in throttled for one account and address");
            return StatusCode(StatusCodes.Status429TooManyRequests);
        }
        var user = await signIn.UserManager.FindByNameAsync(Input.Email.Trim());
        if (user is null)
        {
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(new AppUser(), DummyHash.Value, Input.Password);
            ModelState.AddModelError(string.Empty, InvalidCredentials);
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            log.LogInformation("Sign-in succeeded");
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        if (result.RequiresTwoFactor)
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl, Input.RememberMe });
        if (result.IsLockedOut) log.LogWarning("Sign-in refused: account locked");
        ModelState.AddModelError(string.Empty, InvalidCredentials);
        return Page();
    }
}
