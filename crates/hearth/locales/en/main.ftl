## Shell: header and footer on every page
nav-skip = Skip to main content
nav-quick-exit = Quick exit
nav-quick-exit-hint = (leaves this site at once; press Escape twice to do the same)
nav-label = Main
nav-get-help = Get help now
nav-menu = Menu
nav-account = Your account
nav-logout = Log out
nav-login = Log in
nav-register = Join
footer-disclaimer = Hearth is peer support. It is not medical advice, diagnosis, therapy or emergency care. If you might act on thoughts of harming yourself or someone else, call your local emergency number now.
footer-languages = Languages

## Home
home-page-title = Welcome
home-title = A warm place to talk
home-lead = Hearth is a community of support groups where people living with anxiety, depression, grief, addiction and other struggles listen to each other, share what helps, and remind each other they are not alone.
home-crisis-title = Need to talk to someone right now?
home-crisis-body = Trained crisis counselors are available any time of day or night, for free.
home-settings = Your settings
home-member-title = Your home
home-my-groups = Your groups
home-no-groups = You have not joined a group yet. Tell us a little about what you are going through and we will suggest some, or look through them all.
home-find-group = Find a group for me
home-browse-groups = See all groups
home-you-facilitate = You facilitate
home-new-threads = { $count ->
    [one] 1 thread with new posts
   *[other] { $count } threads with new posts
}
home-new-messages = { $count ->
    [one] 1 new chat message
   *[other] { $count } new chat messages
}
home-new-messages-many = Many new chat messages
home-nothing-new = Nothing new since you last looked.
home-open-chat = Open the chat
home-news = For you since your last visit
home-no-news = Nothing new for you: no replies, mentions or decisions waiting.
home-all-notifications = All your notifications
home-more-news = (there are more)
home-yours = Yours
home-help-link = Crisis lines and help
home-register = Join with a pseudonym
home-welcome-back = Welcome back, { $handle }.
home-principles-title = What to expect
home-anonymous-title = You can stay anonymous.
home-anonymous-body = A made-up name and a password are all you need. An e-mail address is optional.
home-peer-title = People who understand.
home-peer-body = Groups are led by trained peers and professionals, and everyone shares from their own experience.
home-safe-title = Safety comes first.
home-safe-body = Help is always one click away, and moderators look after every group.

## Notices
notice-welcome = Welcome to Hearth. We are glad you are here.
notice-logged-in = You are logged in.
notice-logged-out = You have logged out.
notice-prefs-saved = Your preferences are saved.
notice-password-changed = Your password is changed, and any other sessions have been logged out.
notice-session-ended = That session has been logged out.
notice-session-ended-kept = Your session ended before that could be sent, so nothing was posted. Log in again and you will be back at your form with your words in it.
notice-draft-kept = Welcome back. Your words are in the form again: look them over, then send.
notice-sessions-ended = All your other sessions have been logged out.
notice-account-deleted = Your account has been deleted. Take care of yourself.

## Forms
field-handle = Handle
field-handle-hint = 3 to 30 letters, numbers, dots, dashes or underscores. Please don't use your real name.
field-password = Password
field-password-hint = At least 10 characters. A few unrelated words together make a strong, memorable password.
field-password-confirm = Type the password again
field-email = E-mail address (optional)
field-email-hint = Only used to help you get back into your account. Leave it empty to stay fully anonymous.
field-age = How old are you?
field-age-hint = People under 18 take part in separate youth groups.
field-age-adult = 18 or older
field-age-youth = 13 to 17
field-age-child = Under 13
field-language = Language
field-region = Region for crisis lines
field-region-hint = Which country's crisis lines Hearth shows you.
field-time-zone = Your time zone
field-time-zone-hint = Live sessions show their times in this zone.
field-current-password = Your current password
field-new-password = New password

## Register
register-title = Join Hearth
register-lead = Choose a handle and a password. Nothing else is required.
register-closed = This community is not taking new members right now. If you need someone to talk to now, crisis lines are always open.
field-invite = Invitation code
field-invite-hint = This community joins by invitation: the code is in the link you were sent.
error-registration-closed = This community is not taking new members right now.
error-invite-invalid = That invitation is not valid: it may have been used already or have expired. Ask for a new one.
register-submit = Create account
register-have-account = Already have an account?
too-young-title = Hearth is for people aged 13 and over
too-young-body = Thank you for wanting to join. To keep everyone safe, you need to be at least 13 to use Hearth.
too-young-help = If you are going through something hard, please talk to an adult you trust. If you need help right now, these lines are free and kind:

## Log in
login-title = Log in
login-submit = Log in
login-no-account = New to Hearth?

## Account
account-title = Your account
account-role = Role
account-age-space = Space
account-prefs-title = Preferences
account-language-auto = Same as my browser
account-region-auto = Work it out from my browser
account-time-zone-auto = Each session's own time zone
account-prefs-save = Save preferences
account-password-title = Change password
account-password-lead = Changing your password logs you out everywhere else.
account-password-submit = Change password
account-sessions-title = Where you are logged in
account-sessions-lead = If you see a session you don't recognise, log it out and change your password.
account-session-browser = Browser, logged in { $signed_in } min ago, last active { $active } min ago
account-session-api = App, logged in { $signed_in } min ago, last active { $active } min ago
account-session-current = This browser
account-session-end = Log out
account-sessions-end-others = Log out everywhere else
account-delete-title = Delete your account
account-delete-lead = This deletes your account and logs you out everywhere. It cannot be undone.
account-delete-confirm = I understand that my account will be deleted for good
account-delete-submit = Delete my account
role-member = Member
role-professional = Verified professional
role-moderator = Moderator
role-admin = Administrator
age-space-youth = Youth (13 to 17)
age-space-adult = Adult (18 and over)

## Help
help-title = Get help now
help-emergency = If you or someone else is in immediate danger, call { $number } now.
help-lead = These lines are free and confidential, and the people who answer are trained to help. You don't have to be suicidal to call: you can reach out whenever things feel like too much.
help-lines-title = Crisis lines in { $region }
help-call = Call
help-text = Text
help-website = Website
help-international = Somewhere else?
help-region-label = Show crisis lines for
help-region-submit = Show
help-here-title = Talking to people here
help-here-body = Hearth's groups are peer support. Members and facilitators care, but they are not a crisis service and may not see your message straight away. If you are in danger, please use one of the lines above.

## Errors
error-summary-title = Please check the following
error-home-link = Go to the home page
error-help-line = If you need to talk to someone now:
error-request-id = If you report this problem, please mention the code { $id }.
error-not-found-title = Page not found
error-not-found = We couldn't find that page. It may have moved, or the address may be mistyped.
error-method-not-allowed = That action isn't available here.
error-forbidden-title = Not allowed
error-forbidden = You don't have permission to do that.
error-csrf = This form has expired or came from another site. Go back, reload the page and try again.
error-unauthorized-title = Please log in
error-unauthorized = You need to log in to do that.
error-too-large-title = Too much to send
error-too-large = What you sent is too large. Please shorten it and try again.
error-rate-limited-title = Please wait a moment
error-rate-limited = There have been too many attempts. Please wait a few minutes and try again.
error-writes-limited = You are doing that very often. Please wait a minute, then go back and send it again: what you wrote is still in the form. If you need help now, crisis lines are on the Help page.
error-unavailable-title = Temporarily unavailable
error-unavailable = Hearth can't reach its database right now. Nothing you already saved is lost. Please try again in a minute.
error-internal-title = Something went wrong
error-internal = Something went wrong on our side. Please try again.
error-bad-request-title = Something is wrong with the request
error-bad-request = We couldn't understand that request.
error-bad-form = We couldn't read that form. Please reload the page and try again.
error-json-content-type = Send the request body as JSON with the header Content-Type: application/json.
error-malformed-json = The request body is not valid JSON.
error-json-shape = The request body is missing a field or has one of the wrong type.
error-validation = Some fields need attention.
error-handle-length = Your handle needs to be 3 to 30 characters long.
error-handle-characters = Your handle can use letters, numbers, dots, dashes and underscores, and must start with a letter or number.
error-handle-mixed-script = Your handle mixes letters from different alphabets. Please use one alphabet.
error-handle-reserved = That handle is reserved. Please choose another.
error-handle-taken = That handle, or one that looks just like it, is taken. Please choose another.
error-password-short = Your password needs at least 10 characters.
error-password-long = Your password can be at most 256 characters.
error-password-common = That password is too common and easy to guess. Try a few unrelated words together.
error-password-contains-handle = Your password shouldn't contain your handle.
error-password-mismatch = The two passwords don't match.
error-email-invalid = That doesn't look like an e-mail address. You can also leave it empty.
error-age-required = Please tell us your age group.
error-age-under-13 = Hearth is for people aged 13 and over.
error-language-invalid = Please choose one of the languages in the list.
error-region-invalid = Please choose one of the regions in the list.
error-current-password = That isn't your current password.
error-login-failed = That handle and password don't match an account. Check them and try again.
error-delete-confirm = Please tick the box to confirm that you want to delete your account.

## Groups
nav-groups = Groups
groups-title = Find a group
groups-lead = Groups for what you are living with, for people like you, in your language. Search or narrow the list down.
groups-search-label = Find a group
groups-search = Search names and descriptions
groups-filter-condition = Living with
groups-filter-community = Community
groups-filter-format = Format
groups-filter-leadership = Led by
groups-filter-any = Any
groups-sort = Order
groups-sort-relevance = Best match
groups-sort-activity = Most recently active
groups-sort-newest = Newest
groups-sort-name = Name
groups-sort-members = Most members
groups-show = Show groups
groups-none = No groups match. Try fewer filters or other words.
groups-summary = { $count ->
    [one] 1 group
   *[other] { $count } groups
  } (page { $page } of { $pages })
groups-tags = Topics
groups-pages = More groups
groups-prev = Previous page
groups-next = Next page
groups-start = Start or propose a group
group-peer-led = Peer-led
group-professional-led = Professional-led
group-open = Open to join
group-closed = Joined by request
group-members = { $count ->
    [one] 1 member
   *[other] { $count } members
  }
group-awaiting-approval = This group is waiting for an administrator's approval. Only you and the staff can see it.
group-you-are = You are a
group-leave = Leave this group
group-join = Join this group
group-closed-note = This group's facilitators welcome new members by request.
group-login-to-join = Log in to join
group-guidelines = Guidelines
group-no-guidelines = This group follows Hearth's community guidelines.
group-facilitators = Facilitators
group-no-facilitators = This group has no facilitators yet.
group-back = All groups
group-role-facilitator = facilitator
group-role-member = member
group-new-title = Start a group
group-new-lead-trusted = Your group goes live as soon as you create it, and you become its facilitator.
group-new-lead-member = Tell us about the group you would like to see. An administrator reviews every proposal; you become its facilitator once it is approved.
group-field-name = Name
group-field-slug = Web address (optional)
group-field-slug-hint = Lower-case letters, numbers and hyphens, e.g. evening-circle. Leave it empty to make one from the name.
group-field-purpose = What the group is for
group-field-purpose-hint = Who it is for and what members can expect, in a few sentences.
group-field-guidelines = Guidelines (optional)
group-field-joining = Joining
group-field-visibility = Listing
group-listed = Listed in the directory
group-unlisted = Only people with the link can find it
group-new-submit = Create group
group-propose-submit = Send proposal
notice-group-joined = Welcome to the group.
notice-group-left = You have left the group.
notice-group-created = Your group is live.
notice-group-proposed = Thank you. Your proposal has been sent to the administrators.
error-group-name = The name needs 3 to 80 characters on one line.
error-group-slug = The web address can use lower-case letters, numbers and single hyphens, 3 to 60 characters.
error-group-slug-taken = That web address is taken. Please choose another.
error-group-purpose = Please describe the group in 10 to 2,000 characters.
error-group-guidelines = Guidelines can be at most 10,000 characters.
error-choose-one = Please choose one.
error-group-professional-only = Only verified professionals and staff can start professional-led groups.
error-group-terms = Please choose topics from the list.
group-declined = This proposal was not approved. Only you and the staff can see it.
group-proposer-gone = a deleted account
proposals-title = Group proposals
proposals-none = No proposals are waiting.
proposals-by = proposed by
proposals-approve = Approve
proposals-decline = Decline
notice-proposal-approved = The group is live.
notice-proposal-declined = The proposal was declined.
nav-proposals = Proposals

## Onboarding
welcome-title = Find your people
welcome-lead = Tell us what you would like support with, and we will suggest groups. Everything here is optional, private to you, and can be changed any time.
welcome-condition = What would you like support with?
welcome-community = Communities you feel part of
welcome-format = How would you like to take part?
welcome-languages = Languages you are comfortable in
welcome-submit = Show groups for me
welcome-skip = Skip for now
welcome-recommended = Groups for you
welcome-no-match = No groups match yet.
welcome-browse = Browse all groups
welcome-why = Why:
notice-interests-saved = Saved. Here are groups that may suit you.
account-interests-link = Change what you would like support with

## Join requests
group-field-questions = Questions for people who ask to join (optional)
group-field-questions-hint = For groups joined by request: up to five questions, one a line. Answers are seen only by the group's facilitators and the moderators.
group-ask-to-join = Ask to join
group-request-pending = Your request to join is waiting for the facilitators.
group-request-declined = The facilitators did not accept your request this time.
group-request-message = Their message:
group-requests-link = { $count ->
    [one] 1 request to join is waiting
   *[other] { $count } requests to join are waiting
  }
requests-title = Requests to join { $group }
requests-none = No requests are waiting.
requests-message = Message to them (optional)
requests-approve = Welcome them
requests-decline = Decline
notice-join-requested = Thank you. The facilitators will look at your request soon.
notice-request-approved = They are now a member.
notice-request-declined = The request was declined.
error-group-questions = Up to five questions, one a line, each at most 300 characters.
error-answer = Please answer in 1 to 2,000 characters.
error-decision-message = The message can be at most 1,000 characters.

## Members
group-members-link = Members
members-title = Members of { $group }
members-private = Only members of this group and the moderators see this list. It shows handles only.
members-you = you
members-make-facilitator = Make facilitator
members-remove = Remove from group
notice-facilitator-added = They are now a facilitator of this group.
notice-member-removed = They are no longer a member of this group.
group-settings-link = Group settings
group-settings-title = Settings of { $group }
group-settings-lead = What the group is for, its guidelines, how people join and find it, and who leads it. Its name, address and age space stay as they were made.
group-settings-members = Members and facilitators
group-settings-save = Save the group's settings
notice-group-settings = The group's settings are saved.
members-step-down = Step down as facilitator
members-step-down-self = Step down as a facilitator
notice-stepped-down = Done: that facilitator is now a member of the group.
error-last-facilitator = You are this group's only facilitator. Ask another member to facilitate first, or ask a moderator.

## Taxonomy
taxonomy-title = Group topics
taxonomy-lead = The conditions, communities and formats groups are tagged with. Names should be plain and person-first.
taxonomy-name-en = English name
taxonomy-name-es = Spanish name
taxonomy-save = Save
taxonomy-add = Add a topic
taxonomy-kind = Kind
taxonomy-slug = Web name (lower-case letters, numbers, hyphens)
taxonomy-add-submit = Add topic
notice-term-saved = Saved.
error-term-name = Names need 2 to 60 characters on one line.

## Forum
forum-heading = Forum
forum-start-thread = Start a thread
forum-no-threads = No threads yet. You could start the first one.
forum-older-threads = Older threads
forum-members-only = The forum is for members of this group. Join to read and take part.
forum-pages = More posts
forum-pinned = Pinned
forum-locked = Locked
forum-replies = { $count ->
    [one] 1 reply
   *[other] { $count } replies
  }
forum-warning-label = Content warning:
forum-warning-title = A thread with a content warning: { $warning }
forum-filtered-title = A thread hidden by your filters
forum-show-title = Show its title
forum-warning-summary = Content warning: { $warning }. Open to read.
forum-filtered-summary = Hidden by your personal filters. Open to read.
forum-anonymous = A member
forum-anonymous-you = posted by you, shown to others as "a member"
forum-anonymous-revealed = posted by { $handle }; only facilitators and moderators see this
forum-former-member = A former member
forum-follow = Follow this thread
forum-following = Following (stop)
forum-pin = Pin
forum-unpin = Unpin
forum-lock = Lock
forum-unlock = Unlock
forum-first-posts = First posts
forum-earlier-posts = Earlier posts
forum-later-posts = Later posts
forum-posts-heading = Posts
forum-edited = edited (history)
forum-deleted = This post was deleted.
forum-quote = Quote
forum-edit = Edit
forum-delete = Delete…
forum-delete-confirm = Yes, delete this post
forum-reply-heading = Reply
forum-locked-note = This thread is locked: no new replies.
forum-field-title = Title
forum-field-body = What would you like to say?
forum-field-reply = Your reply
forum-body-hint = You can use Markdown: **bold**, *italic*, > quotes, lists and links. Pictures are shown as links.
forum-field-warning = Content warning (optional)
forum-warning-hint = Name a difficult subject (for example "self-harm" or "loss"). Your post will stay folded until someone chooses to open it.
forum-field-anonymous = Post as "a member"
forum-anonymous-hint = Other members will not see your name. The group's facilitators and the moderators still can, to keep everyone safe.
forum-guidelines-legend = This group's guidelines
forum-accept-guidelines = I have read the guidelines and will follow them
forum-post-thread = Post thread
forum-post-reply = Post reply
forum-new-thread-title = New thread in { $group }
forum-edit-title = Edit your post
forum-edit-hint = Others can see earlier versions of an edited post.
forum-save-edit = Save changes
forum-cancel = Cancel
forum-history-title = Edit history
forum-history-replaced = Version replaced on { $when }
forum-history-current = Current version
forum-history-empty = There is nothing to show.
forum-back-to-post = Back to the post
forum-settings = Forum settings
forum-allow-anonymous = Members may post as "a member" (their name hidden from other members)
forum-save-settings = Save settings
reaction-hug = Hug
reaction-me-too = Me too
reaction-thank-you = Thank you
reaction-strength = Strength
error-thread-title = Give the thread a title of 3 to 150 characters, on one line.
error-post-body = Write something (at most 20,000 characters).
error-content-warning = Keep the content warning to one line of at most 100 characters.
error-anonymous-not-allowed = This group does not allow anonymous posts.
error-accept-guidelines = Please read the group's guidelines and tick the box to accept them before your first post.
error-thread-locked = This thread is locked, so it takes no new replies.
error-reaction = Choose one of the reactions offered.
error-bad-cursor = That page link is not valid. Start again from the first page.
error-filter-word = Each word or phrase may have at most 60 characters.
error-filter-too-many = You can list at most 100 words or phrases.
forum-unread = New
notice-thread-posted = Your thread is posted.
notice-thread-pinned = The thread is pinned.
notice-thread-unpinned = The thread is no longer pinned.
notice-thread-locked = The thread is locked.
notice-thread-unlocked = The thread is open for replies again.
notice-thread-following = You are following this thread: replies will show in your notifications.
notice-thread-unfollowed = You stopped following this thread.
notice-post-edited = Your post is updated.
notice-post-deleted = The post was deleted.
notice-thread-deleted = The post was deleted, and with it the thread: it had no other posts.
notice-forum-settings = Forum settings saved.

## Notifications
nav-notifications = { $count ->
    [0] Notifications
    [one] Notifications (1 unread)
   *[other] Notifications ({ $count } unread)
  }
notifications-title = Notifications
notifications-mark-read = Mark all as read
notifications-none = Nothing yet. Replies to threads you follow, mentions and decisions about your requests will show here.
notifications-new = New
notifications-older = Older notifications
notice-notifications-read = All notifications are marked as read.
notification-reply = { $handle } replied in "{ $thread }"
notification-mention = { $handle } mentioned you in "{ $thread }"
notification-request-approved = Your request to join { $group } was approved. Welcome!
notification-request-declined = Your request to join { $group } was declined. You can read the facilitators' message on the group's page.
notification-report-resolved = A moderator has looked at your report in { $group } and closed it. Thank you for looking out for others.
notification-report-resolved-site = A moderator has looked at your report and closed it. Thank you for looking out for others.
notification-action-hide = Something you wrote in { $group } was hidden by a moderator. Your notices say why, and how to appeal.
notification-action-warn = A moderator sent you a warning. Your notices say why, and how to appeal.
notification-action-mute = A moderator paused your posting in { $group } for a while. Your notices say why, and how to appeal.
notification-action-suspend = A moderator paused your posting on Hearth for a while. Your notices say why, and how to appeal.
notification-action-ban = A moderator stopped your posting on Hearth. Your notices say why, and how to appeal.
notification-appeal-upheld = Your appeal was decided: the action stands. Your notices give the reason.
notification-appeal-overturned = Your appeal was decided: the action was undone. Your notices give the reason.

## Personal filters
filters-title = Personal filters
filters-intro = Posts that contain these words stay folded for you, like a content warning, until you choose to open them. Only you can see this list; it is stored encrypted.
filters-words = Words or phrases
filters-words-hint = One a line, or separated by commas. A word also folds longer words that start with it.
filters-collapse-warnings = Also fold every post that has a content warning entirely, and hide such thread titles in lists
filters-save = Save filters
filters-back = Back to your account
notice-filters-saved = Your filters are saved.
account-filters-link = Personal filters (words you'd rather not see)
account-notifications-link = Notifications (replies, mentions and decisions about you)
account-notices-link = Notices from moderators, and appeals

error-text-control = This contains invisible control characters that cannot be shown. Please remove them and try again.
error-too-many-pinned = A group can have at most 20 pinned threads. Unpin one first.
error-websocket-only = This address takes WebSocket connections only.

## Chat
chat-link = Chat room
chat-empty = No messages yet. Say hello.
chat-messages = Messages
chat-earlier = Earlier messages
chat-latest = Latest messages
chat-message = Your message
chat-send = Send
error-chat-body = Write a message of at most 4,000 characters.
chat-title = { $room } · { $group }
chat-rooms = Rooms
chat-message-hint = Press Enter to send, Shift+Enter for a new line.
chat-message-hint-nojs = Write your message and choose Send. New messages from others show when you reload the page.
chat-actions = Actions
chat-earlier-loaded = Earlier messages are shown above.
chat-sending = Sending…
chat-not-sent = Not sent.
chat-retry = Retry
chat-deleted = This message was deleted.
chat-removed = This message was removed by a facilitator.
chat-hidden = This message was hidden by a moderator.
chat-hidden-shown = Hidden by a moderator: only its author and those who moderate see it.
chat-edited = (edited)
chat-typing = { $name } is typing…
chat-here = Here now: { $names }
chat-live = Connected: new messages appear here as they are sent.
chat-reconnecting = Offline — reconnecting. Your messages are kept and sent when the connection is back.
chat-session-ended = Your session has ended, so chat is paused. Log in again to carry on; anything you typed is still here.
chat-locked-notice = This room is locked: only its facilitators can write here for now. You can still read it.
chat-slow-notice = Slow mode is on: members can send one message every { $seconds } seconds.
chat-slow-off = Off
chat-slow-seconds = One message every { $seconds } seconds
chat-unread = { $count ->
    [one] 1 new
   *[other] { $count } new
}
chat-unread-many = Many new
chat-slow-mode = Slow mode
chat-lock = Lock the room (only facilitators can write)
chat-settings = Room settings
chat-room-name = Room name
chat-save-settings = Save room settings
chat-add-room = Add a room
chat-add-room-hint = For example "Check-in" or "Off-topic". A group can have up to 10 rooms.
chat-add-room-submit = Add the room
chat-delete-confirm = Yes, delete this message
chat-edit-title = Edit your message
chat-save-edit = Save
chat-back = Back to the room
error-room-name = Give the room a name of at most 40 characters.
error-room-limit = This group already has 10 rooms, the most it can have.
error-room-name-taken = Another room of this group has that name. Choose another.
error-room-locked = This room is locked: only its facilitators can write here for now.
error-slow-mode = Choose one of the slow-mode settings offered.
error-slow-mode-wait = Slow mode is on: you can send your next message in { $seconds } seconds. Your text is still here.
error-limit = Ask for 1 to 100 at a time.
error-chat-rate = You are sending quickly. Wait a moment, then send it again. Your text is still here.

## Safety: crisis response, alerts, moderation, audit log
crisis-panel-title = You don't have to go through this alone
crisis-panel-lead = What you wrote sounds really painful. If you are thinking about ending your life or might act on it, please reach out now: these people are there for you, day and night.
crisis-panel-emergency = If you are in immediate danger, call
crisis-panel-more = More ways to get help, and lines in other places
crisis-panel-posted = Your words are posted and the group can see them. A moderator may check in with you.
crisis-panel-kept = Your words are not posted yet: they are kept for you while you log in again.
crisis-panel-dismiss = Hide these lines
nav-alerts = { $count ->
    [one] Crisis alerts (1 open)
   *[other] Crisis alerts ({ $count } open)
}
alerts-title = Crisis alerts
alerts-views = Which alerts
alerts-unresolved = Needing attention
alerts-resolved = Resolved
alerts-none = No alerts here.
alerts-view-source = Read it in context
alerts-why = Why this alert
alerts-outcome = Outcome:
alerts-acknowledge = Acknowledge
alerts-outcome-label = What was done (for the team)
alerts-resolve = Resolve
alerts-deleted-account = a deleted account
alerts-status-open = Open: nobody has acknowledged it yet.
alerts-status-acknowledged = Acknowledged by { $who } at { $when }.
alerts-status-resolved = Resolved by { $who } at { $when }.
alerts-level-imminent = Imminent
alerts-level-ideation = Ideation
alerts-summary = { $count ->
    [one] Raised
   *[other] { $count } times, latest { $last }; first raised
}
alerts-new-imminent = New crisis alert: imminent risk
alerts-new-ideation = New crisis alert
notice-alert-acknowledged = Acknowledged. The team can see you are on it.
notice-alert-resolved = Resolved.
error-alert-outcome = Say what was done, in up to 2,000 characters.
moderation-title = Moderation
moderation-dashboard = Moderation dashboard
moderation-response-title = Time to acknowledge crisis alerts
moderation-response-caption = Alerts raised in each period, and how long they waited for a moderator
moderation-window = Period
moderation-raised = Raised
moderation-acknowledged = Acknowledged
moderation-median = Median wait
moderation-p90 = 90% within
moderation-last-days = Last { $n } days
moderation-no-data = —
duration-seconds = { $n } s
duration-minutes = { $n } min
duration-hours = { $n } h
audit-title = Audit log
audit-none = Nothing has been recorded yet.
audit-caption = Privileged actions, newest first
audit-when = When
audit-who = Who
audit-what = Action
audit-object = On
audit-why = Reason
audit-intact = The log is intact: { $rows } rows, each chained to the one before.
audit-broken = The log has been tampered with: row { $seq } does not fit the chain.

## Reports, moderators' actions, notices and appeals
nav-reports = { $count ->
    [one] Reports (1 waiting)
   *[other] Reports ({ $count } waiting)
}
nav-notices = { $count ->
    [one] Notices from moderators (1 new)
   *[other] Notices from moderators ({ $count } new)
}
forum-report = Report
forum-hidden = This post was hidden by a moderator.
forum-hidden-shown = Hidden by a moderator: only its author and those who moderate see it.
report-title = Report to the moderators
report-what-post = You are reporting this post:
report-what-message = You are reporting this chat message:
report-what-member = You are reporting this member:
report-private = Only the group's facilitators and Hearth's moderators see your report, and who sent it. The person you report is not told who you are.
report-reason = What is wrong?
report-reason-harassment = Harassment or bullying
report-reason-hate = Hate or discrimination
report-reason-unsafe = Unsafe content (methods of self-harm, graphic detail)
report-reason-spam = Spam or advertising
report-reason-sexual = Sexual content
report-reason-privacy = Sharing someone's private information
report-reason-other = Something else
report-details = Anything the moderators should know (optional)
report-submit = Send the report
report-crisis-hint = If someone is in danger right now, they can find crisis lines here:
notice-reported = Thank you. The moderators have your report.
error-report-reason = Choose what is wrong.
error-report-details = Keep it to 2,000 characters.
reports-title = Reports
reports-none = No reports here.
report-summary = { $what } { $who } ({ $group })
case-what-post = A post by
case-what-message = A chat message by
case-what-member = The member
report-assigned-to = taken by
report-open = Open
report-resolved-with = Resolved: { $message }
case-title = Report { $id }
case-reporter = Reported by
case-when = When
case-status = Status
case-reported = What was reported
case-assign = Take this case
case-actions = Actions taken
case-no-actions = None yet.
case-take-action = Take an action
case-act = Take the action
case-notes = Private notes (moderators and facilitators only)
case-note = Add a note
case-add-note = Add the note
case-resolve = Resolve the case
case-message = Message to the person who reported it
action-hide = Hide the post
action-hide-message = Hide the message
action-warn = Warning
action-mute = Muted in the group
action-suspend = Suspended
action-ban = Banned
action-until = { " " }until { $when }
action-duration = How long (muting and suspending)
action-reason = Reason (the member will see it)
action-revoked = lifted
action-undo = Undo
notice-report-assigned = You have taken this case.
notice-note-added = Note added.
notice-action-taken = Done. The member has been told, with the reason.
notice-action-revoked = Undone.
notice-report-resolved = Resolved, and the reporter has been told.
error-action-kind = Choose an action.
error-action-reason = Give the reason in up to 500 characters: the member will see it.
error-action-duration = Choose how long.
error-action-no-member = There is no member to act on (their account was deleted).
error-action-hide-post = Only posts and chat messages can be hidden from a case.
error-action-hide-gone = This message was deleted: there is nothing left to hide.
error-note = Write the note (up to 2,000 characters).
error-report-resolution = Write a message for the person who reported it (up to 2,000 characters).
error-muted = A moderator has paused your posting in this group for now. You can still read, and you can appeal from your notices.
error-suspended = A moderator has paused your posting on Hearth. You can still read, and you can appeal from your notices.
notices-title = Notices from moderators
notices-lead = When a moderator acts on something you wrote, or on your account, it is listed here with the reason. You can appeal each once: a different moderator decides.
notice-hidden-words = What was hidden (your words are kept until any appeal is decided):
appeal-hidden-words = What was hidden (kept for this decision):
notices-none = Nothing here.
appeal-label = Why should this be looked at again?
appeal-submit = Appeal
appeal-status-open = Appeal waiting for a decision
appeal-status-upheld = Appeal decided: the action stands
appeal-status-overturned = Appeal decided: the action was undone
notice-appeal-filed = Your appeal is sent. A moderator who did not take the action will decide.
error-appeal-twice = This action has been appealed already.
error-appeal-lifted = This action has been lifted already.
error-appeal-body = Say why, in up to 2,000 characters.
appeals-title = Appeals
appeals-none = No appeals are waiting.
appeals-case = The case
appeals-own = You took this action: another moderator decides.
appeals-outcome = Decision
appeals-overturn = Undo the action
appeals-uphold = The action stands
appeals-decision = Reason (the member will see it)
appeals-decide = Decide
notice-appeal-decided = Decided. The member can see the decision.
error-appeal-own-action = A different moderator must decide an appeal of your own action.
error-appeal-decision = Give the reason in up to 500 characters.
error-appeal-outcome = Choose a decision.
alerts-new-report = New report

## Group dynamics
dynamics-title = Who is talking in { $group }
dynamics-summary = In the last { $n } days, { $members } members wrote { $total } posts and messages.
dynamics-window = See the last { $n } days
dynamics-private = Only this group's facilitators and Hearth's moderators see this page. Use it to invite quieter members in, gently; never to shame anyone.
dynamics-caption = Each member's share of what was written
dynamics-member = Member
dynamics-posts = Posts
dynamics-messages = Chat messages
dynamics-share = Share
dynamics-note = Note
dynamics-dominant = Carries much of the conversation
dynamics-quiet = Has gone quiet
group-dynamics-link = Who is talking

## Blocking
blocks-title = Blocked members
blocks-lead = Posts and chat messages from members you block are collapsed for you. They are not told.
blocks-none = You have not blocked anyone.
blocks-unblock = Unblock
blocks-handle = Handle of the member to block
blocks-block = Block
notice-blocked = Blocked. Their posts and messages are collapsed for you.
notice-unblocked = Unblocked.
error-block-unknown = There is no member with that handle.
error-block-self = You cannot block yourself.
forum-block = Block
forum-blocked-summary = A post by { $handle }, whom you blocked
chat-blocked-summary = A message from someone you blocked

## Abuse defences: word filters, held posts, newcomers
error-filter-blocked = This contains a word or phrase this community does not allow. Please change it and post again: your text is still here. If you are asking for help, it is never blocked; the Help page has crisis lines.
error-newcomer-wait = New members wait { $newcomer_seconds } seconds between posts. Please post it again in a moment: your text is still here. If you need help now, the Help page has crisis lines.
error-chat-filtered = This contains a word or phrase this community does not allow. Please change it and send it again. Your text is still here.
error-post-hidden = A moderator hid this post. It is kept as it is while it may be appealed, so it cannot be changed now.
error-post-appealed = Your appeal of this post's hiding is waiting for a decision, and the post is kept as it is until then.
error-chat-hidden = A moderator hid this message. It is kept as it is while it may be appealed, so it cannot be changed now.
error-filter-phrase = Write a word or phrase of at most 8 words and 100 characters.
error-filter-action = Choose what the filter does.
error-filter-crisis = Words people use to ask for help cannot be filtered: the crisis detector already makes sure someone sees them.
error-word-filters-too-many = There are already 1,000 filters. Remove some before adding more.
forum-held-shown = Waiting for review: only you and the group's facilitators see it until it is approved.
forum-hold-first-posts = Hold each member's first post until a facilitator approves it
notice-post-held = Thank you. Your post is waiting for a facilitator to review it; only you and they can see it for now.
notice-post-approved = Approved. The post is now up for the whole group.
notice-post-declined = Declined. The post stays hidden, and its author can see why and appeal.
notice-filter-saved = Filter saved.
notice-filter-removed = Filter removed.
held-title = Posts waiting for review
held-intro = These posts are seen only by their authors and by you until you approve them. Approving puts the post up; declining hides it, and the author sees your reason and may appeal.
held-none = No posts are waiting for review.
held-warning = Content warning:
held-approve = Approve
held-decline = Decline
held-decline-reason = Reason (the author sees it)
held-decline-confirm = Decline and hide the post
held-reason-filter = Held by a word filter: { $phrases }
held-reason-first-post = A member's first post in this group
filters-admin-title = Word filters
filters-admin-intro = A word filter acts on posts and chat messages that contain a word or phrase. Letters are matched however they are typed (capitals, accents, look-alike letters, "l33t" spelling, stretched letters).
filters-admin-crisis = Writing in which the crisis detector finds any risk is never blocked or held: it is published, and a filter that fired only flags it.
filters-admin-add = Add a filter
filters-admin-phrase = Word or phrase
filters-admin-phrase-hint = End it with * to match words that start with it (e.g. idiot* matches idiots).
filters-admin-action = What it does
filters-admin-save = Save filter
filters-admin-list = Filters
filters-admin-none = No filters yet.
filters-admin-by = Added by
filters-admin-remove = Remove
filter-action-block = Block
filter-action-block-hint = The writer is asked to change it; nothing is posted.
filter-action-hold = Hold for review
filter-action-hold-hint = A post waits for a facilitator or moderator to approve it. In chat, which cannot wait, it is flagged instead.
filter-action-flag = Flag
filter-action-flag-hint = It is posted, and a report opens for the moderators naming the words.
report-reason-filter = Flagged by a word filter
case-reporter-filter = A word filter
forum-held-badge = Waiting for review
forum-mute = Mute
forum-muted = Muted
forum-mute-hint = Muting a thread stops its notifications and folds it away in the group's list, for you only.
forum-muted-threads = { $count ->
    [one] One thread you muted
   *[other] { $count } threads you muted
}
notice-thread-muted = Thread muted: no notifications from it, and it is folded away in the list. Only you can see this.
notice-thread-unmuted = Thread unmuted.
chat-mute-hint = Muting this room makes it quiet for you: new messages are not read out and typing is not shown. Nobody else is told.
chat-muted-hint = You muted this room: new messages are not read out and typing is not shown.
reports-new = A new report is waiting
draft-saved = Your draft is kept on this device until you send it.
draft-restored = Your unsent draft from this device is back.
gentle-help-lead = If things feel very hard right now, you don't have to wait for a reply: people are ready to listen at any hour.
gentle-help-link = Talk to someone now
error-held-changed = Its author changed this post since you read it. Please read it again before you decide.

## The admins' hub
nav-admin = Admin
admin-title = Administration
admin-lead = Everything an administrator looks after, in one place.
admin-people = People and roles
admin-people-about = Find members by handle; make or remove moderators.
admin-proposals = Group proposals
admin-proposals-about = Groups members have proposed, waiting for your approval.
admin-new-group = Start a group
admin-new-group-about = A new group: who it is for, its guidelines, how people join.
admin-taxonomy = Group topics
admin-taxonomy-about = What groups can be about, in English and Spanish.
admin-filters = Word filters
admin-filters-about = Words that block, hold or flag posts and chat messages.
admin-alerts = Crisis alerts
admin-alerts-about = Members whose words suggest they may be in danger.
admin-reports = Reports
admin-reports-about = What members have reported, as cases.
admin-appeals = Appeals
admin-appeals-about = Members asking for an action to be looked at again.
admin-audit = Audit log
admin-audit-about = Every privileged action, with who, what and when.
admin-backups = Backups
admin-backup-last = The last backup was taken at
admin-backup-stale = That is over a week ago. Take one now, and schedule them.
admin-backup-none = No backup of this database has been taken yet.
admin-backup-how = On the server, with the same settings as Hearth, run
admin-mail = E-mail
admin-mail-on = This server sends e-mail.
admin-mail-queued = Waiting to be sent:
admin-mail-failed = Given up on in the last week (see the server log):
admin-mail-off = This server sends no e-mail: password reset links come from you, at People and roles. Set mail_url and mail_from to turn it on.
admin-people-lead = Moderators answer crisis alerts, reports and appeals everywhere on Hearth. Administrators are made on the server's command line, so their roles are not changed here.
admin-people-search = Handle starts with
admin-people-find = Find
admin-people-none = Nobody's handle starts with that.
admin-people-handle = Handle
admin-people-role = Role
admin-people-joined = Joined
admin-people-change = Change
admin-people-more = Showing the first 50: type more of the handle to narrow it down.
admin-make-moderator = Make moderator
admin-remove-moderator = Remove as moderator
notice-role-saved = The role is changed. It applies from their next page.
error-role-choice = Choose member or moderator.
error-people-query = Search with up to 40 characters of a handle.
error-role-admin = That account's role cannot be changed here (your own, or an administrator's).
admin-site = The site
admin-site-about = The site's name, and who may join: anyone, by invitation, or nobody for now.
admin-site-name = The site's name
admin-site-name-hint = Shown in the header and the browser's tab, in every language.
admin-site-registration = Who may join
admin-site-open = Anyone
admin-site-invite = Only people with an invitation
admin-site-closed = Nobody for now (members keep their accounts)
admin-site-save = Save
admin-invites = Invitations
admin-invites-lead = Each link lets one person join, within 14 days.
admin-invites-open = Unused now:
admin-invite-make = Make an invitation link
admin-invite-once = Copy this link and send it to the person you are inviting. It is shown only now.
admin-invite-link = Invitation link
notice-site-saved = Saved.
notice-invite-made = A new invitation is ready.
error-site-name = Give the site a name of up to 40 characters.
group-archive-title = Archive
group-archive-lead = An archived group stays readable by its members, but nobody can write in it, and it is no longer listed or joined. You can bring it back.
group-archived-lead = This group is archived: its members can read it, nobody can write in it, and it is not listed.
group-archive = Archive this group
group-unarchive = Bring this group back
group-archived-banner = This group is archived: you can read it, but nobody can write in it now.
notice-group-archived = The group is archived.
notice-group-unarchived = The group is back: members can write again.

## Password reset
login-forgot = Forgot your password?
forgot-title = Reset your password
forgot-lead = If you gave an e-mail address when you registered, type your handle and that address. We will send a link to choose a new password.
forgot-email = The e-mail address you gave
forgot-submit = Send me a link
forgot-no-address = If you gave no address, an administrator can make you a link: ask a moderator or facilitator you trust to pass your request on.
forgot-no-mail = This community does not send e-mail. An administrator can make you a link to choose a new password: ask a moderator or facilitator you trust to pass your request on.
forgot-back = Back to log in
notice-reset-sent = If that handle has that address, a link is on its way to it. It works once, for 30 minutes. Check your spam folder if it does not arrive.
reset-title = Choose a new password
reset-lead = Choose a new password for
reset-submit = Save the new password
reset-gone = This link has expired or was already used. Links work once, for a limited time.
reset-ask-again = Ask for a new link
notice-password-reset = Your password is changed, and every session that was open is ended. Log in with the new password.
error-handle-required = Type your handle.
error-email-required = Type the e-mail address you gave.
admin-reset-link = Make a password reset link
reset-link-title = A password reset link
reset-link-for = A link to choose a new password for
reset-link-label = The link
reset-link-about = Give it to them privately. It works once, for { $hours } hours. It ends every session they have open and turns off their authenticator app, if they had one, so that they can set it up again.
mail-reset-subject = Reset your password on { $site }
mail-reset-body =
    Hello { $handle },

    Someone asked to reset the password of your account on { $site }. If it was you, open this link within { $minutes } minutes and choose a new password:

    { $link }

    The link works once. If it was not you, you need do nothing: your password stays as it is.

## Second factor
security-title = Second factor
security-teaser = A code from an app on your phone, asked for after your password, keeps your account yours even if someone learns the password.
security-manage = Set up or change your second factor
security-lead = With a second factor on, logging in asks for your password and then a six-digit code from an authenticator app on your phone (such as Aegis, FreeOTP or Google Authenticator). Moderators and admins need one to use their tools.
security-off = Your second factor is off.
security-start = Set up an authenticator app
security-setup-title = Set up your authenticator app
security-setup-scan = In your authenticator app, add an account and scan this code.
security-setup-type = If you cannot scan it, type this key instead:
security-setup-confirm = Then type your password and the six-digit code the app shows now.
security-setup-submit = Turn on the second factor
field-app-code = The code the app shows
security-on = Your second factor is on.
security-codes-left = Recovery codes left:
security-codes-title = Your recovery codes
security-codes-lead = Each code lets you log in once without your phone. Keep them somewhere safe and private, such as a password manager or on paper. They are shown only now.
security-new-codes = New recovery codes
security-new-codes-submit = Make new recovery codes
security-off-title = Turn the second factor off
security-off-lead = Logging in will ask only for your password again. Moderators and admins lose their tools until they set one up again.
security-off-submit = Turn it off
notice-second-factor-on = Your second factor is on. Keep your recovery codes safe.
notice-second-factor-off = Your second factor is off.
notice-second-factor-expired = That took too long. Please log in again.
second-factor-title = Enter your code
second-factor-lead = Your password was right. Now type the six-digit code from your authenticator app.
field-code = Code
field-code-hint = The six digits the app shows now, or one of your recovery codes.
second-factor-submit = Log in
second-factor-lost = Lost your phone? Type one of your recovery codes instead. If you have none left, an administrator can help.
error-code-wrong = That code is not right, or was already used. Type the code the app shows now.
error-second-factor-on = Your second factor is already on.
error-second-factor-off = Your second factor is off.
error-second-factor-none-waiting = Start setting up the app again.
error-second-factor-required = This account logs in with a second factor: send the code from its app (or a recovery code) as "code".
staff-second-factor-needed = Your moderator tools wait for a second factor: they open once this session has proved one.
staff-second-factor-set-up = Set up your second factor

## Passkeys
passkey-login = Log in with a passkey
passkey-use = Use a passkey instead
passkey-failed = The passkey was not used. Try again, or use your password or a code.
security-passkeys = Passkeys
security-passkeys-lead = A passkey lets you log in with your phone's or computer's lock (a fingerprint, face or PIN) instead of typing a password. It counts as both factors, so moderators and admins can use their tools straight away.
security-passkeys-none = You have no passkeys.
security-passkey-added = added
security-passkey-used = last used
security-passkey-never = never
security-passkey-remove = Remove
security-passkey-remove-password = Your current password, to remove
security-passkey-add = Add a passkey
security-passkeys-need-js = Adding or using a passkey needs JavaScript.
security-passkeys-unavailable = This site's address does not allow passkeys (browsers offer them only to sites reached by a domain name).
field-passkey-name = A name for this passkey
field-passkey-name-hint = To tell your passkeys apart later, such as "my phone".
notice-passkey-added = Your passkey is added. You can log in with it from now on.
notice-passkey-removed = The passkey is removed.
error-passkey-failed = That passkey could not be used. Please try again.
error-passkeys-unavailable = This site's address does not allow passkeys.
error-passkeys-too-many = You have as many passkeys as an account may hold. Remove one first.

## Live sessions
sessions-title = Live sessions of { $group }
sessions-link = Live sessions
sessions-none = No sessions are scheduled yet.
sessions-coming = Coming up
session-when = { $weekday } { $day } { $month } { $year }, { $start }–{ $end }
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
session-format = How people take part
session-format-video = Video (cameras optional)
session-format-audio = Audio only
session-format-text = Text chat only
session-places = { $count } of { $total } places taken
session-places-waiting = { $count } of { $total } places taken, { $n } waiting
session-you-are-going = You are coming.
session-you-are-waiting = You are number { $n } on the waiting list. If a place opens, it is yours.
session-zone-yours = Times are in your time zone, { $zone }.
session-zone-theirs = Times are in each session's own time zone. Set yours to see them in your time.
session-zone-change = Change your time zone
session-new-title = Schedule a live session for { $group }
session-recurrence-once = Once
session-recurrence-weekly = Every week
session-recurrence-fortnightly = Every two weeks
session-recurrence-monthly = Every month, on the same weekday of the same week
session-repeats-until = { $what }, until { $when }
session-ics-name = Hearth live sessions
session-schedule = Schedule a session
session-attend = I'll come
session-join-waitlist = Join the waiting list
session-withdraw = I can't come after all
session-leave-waitlist = Leave the waiting list
session-series-cancelled = This session was called off.
session-repeats = Repeats
session-home-zone = Its time zone
session-no-recording = Nothing in a live session is recorded: Hearth has no recording feature.
session-ics = Add to my calendar (.ics)
session-manage = For facilitators
session-attendees-next = Coming to the next date
session-waiting-label = waiting
session-cancel-which = Call off
session-cancel-series = Every date still to come
session-cancel = Call it off
session-field-title = Title
session-field-description = What it is about (optional)
session-field-start = First date and start time
session-field-start-hint = On the clock of the time zone below.
session-field-zone = Time zone
session-field-minutes = Length in minutes
session-field-recurrence = Repeats
session-field-until = Last date (optional)
session-field-until-hint = Leave empty for a series with no end.
session-field-capacity = Places
session-field-capacity-hint = From 2 to 100. When it is full, others can join a waiting list.
error-session-title = Give the session a title of up to 120 characters.
error-session-description = The description can be up to 4,000 characters.
error-session-start = Enter the date and start time, like 2027-01-14 19:00.
error-session-zone = Choose a time zone from the list, like America/Chicago.
error-session-minutes = Enter a length from 15 to 480 minutes.
error-session-recurrence = Choose how often it repeats.
error-session-until = Enter the last date like 2027-06-30, or leave it empty.
error-session-until-before = The last date cannot come before the first.
error-session-too-far = Sessions can be scheduled up to two years ahead.
error-session-past = That time has already passed.
error-session-capacity = Enter a number of places from 2 to 100.
error-session-format = Choose how people take part.
error-session-date = That date is not one of this session's.
notice-session-scheduled = The session is scheduled.
notice-session-going = You have a place. It is in your list of coming sessions.
notice-session-waiting = The session is full, so you are on the waiting list. If a place opens, it is yours.
notice-session-withdrawn = You gave up your place. Thank you for letting the group know.
notice-session-cancelled = It is called off.
calendar-title = Your calendar feed
calendar-lead = A private address your calendar app can subscribe to: it shows the live sessions of every group you belong to, and keeps up as they change.
calendar-private = Anyone with the address can see when your groups meet, so keep it to yourself. You can make a new one at any time; the old one then stops working.
calendar-address = Your calendar address
calendar-address-hint = Copy it into your calendar app ("subscribe" or "add by URL"). It is shown only this once.
calendar-made = You made a calendar address on { $when }.
calendar-make = Make my calendar address
calendar-remake = Make a new address (the old one stops working)
calendar-end = Turn my calendar address off
notice-calendar-off = Your calendar address no longer works.
account-calendar-link = Your calendar feed
mail-session-reminder-subject = A live session you have a place at is coming up
mail-session-reminder-body =
    Hello { $handle },

    A live session you have a place at starts at { $when }.

    It is here: { $link }

    If you cannot come after all, you can give up your place there, so that someone waiting can have it. You are receiving this because you took a place on { $site }.
notification-session-reminder = { $what } ({ $group }) is on { $when }: you have a place.
notification-session-place = A place opened for you at { $what } ({ $group }) on { $when }.
notification-session-cancelled = { $what } ({ $group }) on { $when } was called off.
field-quiet-hours = Quiet hours
field-quiet-hours-hint = No e-mailed reminders between these hours, on your own clock (your time zone above, or else each session's).
field-quiet-from = From
field-quiet-to = Until
account-quiet-none = None
error-quiet-hours = Choose both hours, different from each other, or neither.
