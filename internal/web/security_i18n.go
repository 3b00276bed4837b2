package web

// Strings of the security work: login throttling, contact visibility (the
// SMS reply-code guard's and the opened receipt's are in internal/dispatch/ui).
func init() {
	addMessages(map[string][2]string{
		"login.throttled": {"För många misslyckade inloggningar till kontot härifrån. Vänta en stund (från 5 sekunder, längre för varje nytt fel) och försök igen, eller logga in från en annan enhet.",
			"Too many failed logins to this account from here. Wait a while (from 5 seconds, longer after each new failure) and try again, or log in from another device."},
		"contacts.hidden": {"Kontaktuppgifter till andra enheter visas bara för krisledningen.",
			"Contact details of other units are shown to the crisis staff only."},
	})
}
