## Estructura: cabecera y pie de cada página
nav-skip = Saltar al contenido principal
nav-quick-exit = Salida rápida
nav-quick-exit-hint = (sale de este sitio al instante; pulsar Escape dos veces hace lo mismo)
nav-label = Principal
nav-get-help = Pide ayuda ahora
nav-menu = Menú
nav-account = Tu cuenta
nav-logout = Cerrar sesión
nav-login = Iniciar sesión
nav-register = Únete
footer-disclaimer = Hearth es apoyo entre pares. No es consejo médico, diagnóstico, terapia ni atención de emergencias. Si pudieras actuar sobre pensamientos de hacerte daño o de hacérselo a otra persona, llama ahora a tu número local de emergencias.
footer-languages = Idiomas

## Inicio
home-page-title = Bienvenida
home-title = Un lugar cálido para hablar
home-lead = Hearth es una comunidad de grupos de apoyo donde personas que viven con ansiedad, depresión, duelo, adicciones y otras dificultades se escuchan, comparten lo que les ayuda y se recuerdan que no están solas.
home-crisis-title = ¿Necesitas hablar con alguien ahora mismo?
home-crisis-body = Hay consejeros de crisis capacitados disponibles a cualquier hora del día o de la noche, gratis.
home-settings = Tu configuración
home-member-title = Tu inicio
home-my-groups = Tus grupos
home-no-groups = Aún no te uniste a ningún grupo. Cuéntanos un poco por lo que estás pasando y te sugeriremos algunos, o mira todos.
home-find-group = Buscar un grupo para mí
home-browse-groups = Ver todos los grupos
home-you-facilitate = Eres facilitador/a
home-new-threads = { $count ->
    [one] 1 hilo con publicaciones nuevas
   *[other] { $count } hilos con publicaciones nuevas
}
home-new-messages = { $count ->
    [one] 1 mensaje nuevo en el chat
   *[other] { $count } mensajes nuevos en el chat
}
home-new-messages-many = Muchos mensajes nuevos en el chat
home-nothing-new = Nada nuevo desde tu última visita.
home-open-chat = Abrir el chat
home-news = Para ti desde tu última visita
home-no-news = Nada nuevo para ti: no hay respuestas, menciones ni decisiones pendientes.
home-all-notifications = Todas tus notificaciones
home-more-news = (hay más)
home-yours = Lo tuyo
home-help-link = Líneas de crisis y ayuda
home-register = Únete con un seudónimo
home-welcome-back = Hola de nuevo, { $handle }.
home-principles-title = Qué puedes esperar
home-anonymous-title = Puedes seguir en el anonimato.
home-anonymous-body = Solo necesitas un nombre inventado y una contraseña. El correo electrónico es opcional.
home-peer-title = Personas que te entienden.
home-peer-body = Los grupos los dirigen pares capacitados y profesionales, y cada quien comparte desde su propia experiencia.
home-safe-title = La seguridad es lo primero.
home-safe-body = La ayuda siempre está a un clic, y hay moderadores que cuidan cada grupo.

## Avisos
notice-welcome = Te damos la bienvenida a Hearth. Nos alegra que estés aquí.
notice-logged-in = Has iniciado sesión.
notice-logged-out = Has cerrado sesión.
notice-prefs-saved = Tus preferencias están guardadas.
notice-password-changed = Tu contraseña ha cambiado y se han cerrado tus otras sesiones.
notice-session-ended-kept = Tu sesión terminó antes de poder enviarlo, así que no se publicó nada. Vuelve a iniciar sesión y volverás a tu formulario con tus palabras.
notice-draft-kept = Hola de nuevo. Tus palabras están otra vez en el formulario: revísalas y envíalas.
notice-session-ended = Se ha cerrado esa sesión.
notice-sessions-ended = Se han cerrado todas tus otras sesiones.
notice-account-deleted = Tu cuenta se ha eliminado. Cuídate mucho.

## Formularios
field-handle = Nombre de usuario
field-handle-hint = De 3 a 30 letras, números, puntos, guiones o guiones bajos. Por favor, no uses tu nombre real.
field-password = Contraseña
field-password-hint = Al menos 10 caracteres. Unas cuantas palabras sin relación entre sí forman una contraseña fuerte y fácil de recordar.
field-password-confirm = Escribe la contraseña otra vez
field-email = Correo electrónico (opcional)
field-email-hint = Solo sirve para ayudarte a recuperar tu cuenta. Déjalo vacío para seguir en total anonimato.
field-age = ¿Qué edad tienes?
field-age-hint = Las personas menores de 18 participan en grupos juveniles aparte.
field-age-adult = 18 o más
field-age-youth = De 13 a 17
field-age-child = Menos de 13
field-language = Idioma
field-region = Región de las líneas de crisis
field-region-hint = De qué país son las líneas de crisis que te muestra Hearth.
field-time-zone = Tu zona horaria
field-time-zone-hint = Las sesiones en vivo muestran sus horas en esta zona.
field-current-password = Tu contraseña actual
field-new-password = Contraseña nueva

## Registro
register-title = Únete a Hearth
register-lead = Elige un nombre de usuario y una contraseña. No hace falta nada más.
register-closed = Esta comunidad no está aceptando miembros nuevos por ahora. Si necesitas hablar con alguien ahora, las líneas de crisis siempre están abiertas.
field-invite = Código de invitación
field-invite-hint = Esta comunidad se une por invitación: el código está en el enlace que te enviaron.
error-registration-closed = Esta comunidad no está aceptando miembros nuevos por ahora.
error-invite-invalid = Esa invitación no es válida: puede que ya se haya usado o haya caducado. Pide una nueva.
register-submit = Crear cuenta
register-have-account = ¿Ya tienes una cuenta?
too-young-title = Hearth es para personas de 13 años o más
too-young-body = Gracias por querer unirte. Para que todo el mundo esté a salvo, necesitas tener al menos 13 años para usar Hearth.
too-young-help = Si estás pasando por algo difícil, habla con una persona adulta de confianza. Si necesitas ayuda ahora mismo, estas líneas son gratuitas y amables:

## Iniciar sesión
login-title = Iniciar sesión
login-submit = Iniciar sesión
login-no-account = ¿Eres nuevo en Hearth?

## Cuenta
account-title = Tu cuenta
account-role = Rol
account-age-space = Espacio
account-prefs-title = Preferencias
account-language-auto = El mismo que mi navegador
account-region-auto = Deducirla de mi navegador
account-time-zone-auto = La zona horaria de cada sesión
account-prefs-save = Guardar preferencias
account-password-title = Cambiar la contraseña
account-password-lead = Al cambiar la contraseña se cierran tus sesiones en todos los demás lugares.
account-password-submit = Cambiar la contraseña
account-sessions-title = Dónde tienes la sesión iniciada
account-sessions-lead = Si ves una sesión que no reconoces, ciérrala y cambia tu contraseña.
account-session-browser = Navegador, sesión iniciada hace { $signed_in } min, última actividad hace { $active } min
account-session-api = Aplicación, sesión iniciada hace { $signed_in } min, última actividad hace { $active } min
account-session-current = Este navegador
account-session-end = Cerrar sesión
account-sessions-end-others = Cerrar sesión en todos los demás lugares
account-delete-title = Eliminar tu cuenta
account-delete-lead = Esto elimina tu cuenta y cierra todas tus sesiones. No se puede deshacer.
account-delete-confirm = Entiendo que mi cuenta se eliminará para siempre
account-delete-submit = Eliminar mi cuenta
role-member = Miembro
role-professional = Profesional verificado
role-moderator = Moderador
role-admin = Administrador
age-space-youth = Juvenil (de 13 a 17)
age-space-adult = Adultos (18 o más)

## Ayuda
help-title = Pide ayuda ahora
help-emergency = Si tú u otra persona están en peligro inmediato, llama ahora al { $number }.
help-lead = Estas líneas son gratuitas y confidenciales, y quienes responden están capacitados para ayudar. No hace falta tener pensamientos suicidas para llamar: puedes hacerlo siempre que todo se sienta demasiado.
help-lines-title = Líneas de crisis en { $region }
help-call = Llamar al
help-text = Enviar mensaje
help-website = Sitio web
help-international = ¿Estás en otro lugar?
help-region-label = Mostrar líneas de crisis de
help-region-submit = Mostrar
help-here-title = Hablar con la gente de aquí
help-here-body = Los grupos de Hearth son apoyo entre pares. Los miembros y facilitadores se preocupan, pero no son un servicio de crisis y puede que no vean tu mensaje enseguida. Si estás en peligro, usa una de las líneas de arriba.

## Errores
error-summary-title = Revisa lo siguiente
error-home-link = Ir a la página de inicio
error-help-line = Si necesitas hablar con alguien ahora:
error-request-id = Si informas de este problema, menciona el código { $id }.
error-not-found-title = Página no encontrada
error-not-found = No encontramos esa página. Puede que se haya movido o que la dirección tenga un error.
error-method-not-allowed = Esa acción no está disponible aquí.
error-forbidden-title = No permitido
error-forbidden = No tienes permiso para hacer eso.
error-csrf = Este formulario ha caducado o vino de otro sitio. Vuelve atrás, recarga la página e inténtalo de nuevo.
error-unauthorized-title = Inicia sesión
error-unauthorized = Necesitas iniciar sesión para hacer eso.
error-too-large-title = Demasiado para enviar
error-too-large = Lo que enviaste es demasiado grande. Acórtalo e inténtalo de nuevo.
error-rate-limited-title = Espera un momento
error-rate-limited = Ha habido demasiados intentos. Espera unos minutos e inténtalo de nuevo.
error-writes-limited = Estás haciendo esto muy a menudo. Espera un minuto, vuelve atrás y envíalo de nuevo: lo que escribiste sigue en el formulario. Si necesitas ayuda ahora, las líneas de crisis están en la página de Ayuda.
error-unavailable-title = No disponible por ahora
error-unavailable = Hearth no puede conectar con su base de datos en este momento. No se ha perdido nada de lo que ya guardaste. Inténtalo de nuevo en un minuto.
error-internal-title = Algo salió mal
error-internal = Algo salió mal por nuestra parte. Inténtalo de nuevo.
error-bad-request-title = Hay un problema con la solicitud
error-bad-request = No pudimos entender esa solicitud.
error-bad-form = No pudimos leer ese formulario. Recarga la página e inténtalo de nuevo.
error-json-content-type = Envía el cuerpo de la solicitud como JSON con la cabecera Content-Type: application/json.
error-malformed-json = El cuerpo de la solicitud no es JSON válido.
error-json-shape = Al cuerpo de la solicitud le falta un campo o tiene uno de tipo incorrecto.
error-validation = Algunos campos necesitan atención.
error-handle-length = Tu nombre de usuario debe tener de 3 a 30 caracteres.
error-handle-characters = Tu nombre de usuario puede llevar letras, números, puntos, guiones y guiones bajos, y debe empezar con una letra o un número.
error-handle-mixed-script = Tu nombre de usuario mezcla letras de alfabetos distintos. Usa un solo alfabeto.
error-handle-reserved = Ese nombre de usuario está reservado. Elige otro.
error-handle-taken = Ese nombre de usuario, u otro que se ve igual, ya está en uso. Elige otro.
error-password-short = Tu contraseña necesita al menos 10 caracteres.
error-password-long = Tu contraseña puede tener como máximo 256 caracteres.
error-password-common = Esa contraseña es demasiado común y fácil de adivinar. Prueba con unas cuantas palabras sin relación entre sí.
error-password-contains-handle = Tu contraseña no debería contener tu nombre de usuario.
error-password-mismatch = Las dos contraseñas no coinciden.
error-email-invalid = Eso no parece un correo electrónico. También puedes dejarlo vacío.
error-age-required = Dinos tu grupo de edad.
error-age-under-13 = Hearth es para personas de 13 años o más.
error-language-invalid = Elige uno de los idiomas de la lista.
error-region-invalid = Elige una de las regiones de la lista.
error-current-password = Esa no es tu contraseña actual.
error-login-failed = Ese nombre de usuario y esa contraseña no coinciden con ninguna cuenta. Revísalos e inténtalo de nuevo.
error-delete-confirm = Marca la casilla para confirmar que quieres eliminar tu cuenta.

## Grupos
nav-groups = Grupos
groups-title = Encuentra un grupo
groups-lead = Grupos sobre lo que estás viviendo, para personas como tú, en tu idioma. Busca o acota la lista.
groups-search-label = Encuentra un grupo
groups-search = Buscar en nombres y descripciones
groups-filter-condition = Viviendo con
groups-filter-community = Comunidad
groups-filter-format = Formato
groups-filter-leadership = Dirigido por
groups-filter-any = Cualquiera
groups-sort = Orden
groups-sort-relevance = Mejor coincidencia
groups-sort-activity = Actividad más reciente
groups-sort-newest = Más nuevos
groups-sort-name = Nombre
groups-sort-members = Más miembros
groups-show = Mostrar grupos
groups-none = Ningún grupo coincide. Prueba con menos filtros u otras palabras.
groups-summary = { $count ->
    [one] 1 grupo
   *[other] { $count } grupos
  } (página { $page } de { $pages })
groups-tags = Temas
groups-pages = Más grupos
groups-prev = Página anterior
groups-next = Página siguiente
groups-start = Crear o proponer un grupo
group-peer-led = Dirigido por pares
group-professional-led = Dirigido por profesionales
group-open = Abierto
group-closed = Con solicitud de ingreso
group-members = { $count ->
    [one] 1 miembro
   *[other] { $count } miembros
  }
group-awaiting-approval = Este grupo espera la aprobación de un administrador. Solo tú y el equipo pueden verlo.
group-you-are = Eres
group-leave = Salir del grupo
group-join = Unirme al grupo
group-closed-note = Los facilitadores de este grupo reciben a nuevos miembros mediante solicitud.
group-login-to-join = Inicia sesión para unirte
group-guidelines = Normas
group-no-guidelines = Este grupo sigue las normas de la comunidad de Hearth.
group-facilitators = Facilitadores
group-no-facilitators = Este grupo aún no tiene facilitadores.
group-back = Todos los grupos
group-role-facilitator = facilitador
group-role-member = miembro
group-new-title = Crear un grupo
group-new-lead-trusted = Tu grupo estará activo en cuanto lo crees, y serás su facilitador.
group-new-lead-member = Cuéntanos qué grupo te gustaría ver. Un administrador revisa cada propuesta; serás su facilitador cuando se apruebe.
group-field-name = Nombre
group-field-slug = Dirección web (opcional)
group-field-slug-hint = Minúsculas, números y guiones, por ejemplo circulo-de-la-tarde. Déjalo vacío para crearla a partir del nombre.
group-field-purpose = Para qué es el grupo
group-field-purpose-hint = Para quién es y qué pueden esperar sus miembros, en unas pocas frases.
group-field-guidelines = Normas (opcional)
group-field-joining = Ingreso
group-field-visibility = Listado
group-listed = Aparece en el directorio
group-unlisted = Solo quien tenga el enlace puede encontrarlo
group-new-submit = Crear grupo
group-propose-submit = Enviar propuesta
notice-group-joined = Te damos la bienvenida al grupo.
notice-group-left = Has salido del grupo.
notice-group-created = Tu grupo está activo.
notice-group-proposed = Gracias. Tu propuesta se ha enviado a los administradores.
error-group-name = El nombre necesita de 3 a 80 caracteres en una sola línea.
error-group-slug = La dirección web puede llevar minúsculas, números y guiones sueltos, de 3 a 60 caracteres.
error-group-slug-taken = Esa dirección web ya está en uso. Elige otra.
error-group-purpose = Describe el grupo en 10 a 2000 caracteres.
error-group-guidelines = Las normas pueden tener como máximo 10 000 caracteres.
error-choose-one = Elige una opción.
error-group-professional-only = Solo profesionales verificados y el equipo pueden crear grupos dirigidos por profesionales.
error-group-terms = Elige temas de la lista.
group-declined = Esta propuesta no se aprobó. Solo tú y el equipo pueden verla.
group-proposer-gone = una cuenta eliminada
proposals-title = Propuestas de grupos
proposals-none = No hay propuestas pendientes.
proposals-by = propuesto por
proposals-approve = Aprobar
proposals-decline = Rechazar
notice-proposal-approved = El grupo está activo.
notice-proposal-declined = Se rechazó la propuesta.
nav-proposals = Propuestas

## Bienvenida
welcome-title = Encuentra a tu gente
welcome-lead = Cuéntanos con qué te gustaría recibir apoyo y te sugeriremos grupos. Todo es opcional, privado y puedes cambiarlo cuando quieras.
welcome-condition = ¿Con qué te gustaría recibir apoyo?
welcome-community = Comunidades de las que te sientes parte
welcome-format = ¿Cómo te gustaría participar?
welcome-languages = Idiomas en los que te sientes cómodo
welcome-submit = Mostrar grupos para mí
welcome-skip = Omitir por ahora
welcome-recommended = Grupos para ti
welcome-no-match = Todavía no hay grupos que coincidan.
welcome-browse = Ver todos los grupos
welcome-why = Por qué:
notice-interests-saved = Guardado. Estos grupos podrían ser para ti.
account-interests-link = Cambiar con qué te gustaría recibir apoyo

## Solicitudes de ingreso
group-field-questions = Preguntas para quien pida unirse (opcional)
group-field-questions-hint = Para grupos con solicitud de ingreso: hasta cinco preguntas, una por línea. Solo los facilitadores del grupo y los moderadores ven las respuestas.
group-ask-to-join = Pedir unirme
group-request-pending = Tu solicitud para unirte está esperando a los facilitadores.
group-request-declined = Los facilitadores no aceptaron tu solicitud esta vez.
group-request-message = Su mensaje:
group-requests-link = { $count ->
    [one] 1 solicitud de ingreso en espera
   *[other] { $count } solicitudes de ingreso en espera
  }
requests-title = Solicitudes para unirse a { $group }
requests-none = No hay solicitudes en espera.
requests-message = Mensaje para la persona (opcional)
requests-approve = Darle la bienvenida
requests-decline = Rechazar
notice-join-requested = Gracias. Los facilitadores revisarán tu solicitud pronto.
notice-request-approved = Ya es miembro.
notice-request-declined = Se rechazó la solicitud.
error-group-questions = Hasta cinco preguntas, una por línea, de 300 caracteres como máximo cada una.
error-answer = Responde en 1 a 2000 caracteres.
error-decision-message = El mensaje puede tener como máximo 1000 caracteres.

## Miembros
group-members-link = Miembros
members-title = Miembros de { $group }
members-private = Solo los miembros de este grupo y los moderadores ven esta lista. Solo muestra nombres de usuario.
members-you = tú
members-make-facilitator = Hacer facilitador
members-remove = Quitar del grupo
notice-facilitator-added = Ahora es facilitador de este grupo.
members-step-down = Retirar como facilitador/a
members-step-down-self = Dejar de ser facilitador/a
notice-stepped-down = Hecho: esa persona es ahora miembro del grupo.
error-last-facilitator = Eres la única persona que facilita este grupo. Pide primero a otro miembro que facilite, o a un moderador.
group-settings-link = Configuración del grupo
group-settings-title = Configuración de { $group }
group-settings-lead = Para qué es el grupo, sus normas, cómo se entra y se encuentra, y quién lo dirige. Su nombre, su dirección y su espacio de edad quedan como se crearon.
group-settings-members = Miembros y facilitadores
group-settings-save = Guardar la configuración del grupo
notice-group-settings = La configuración del grupo está guardada.
notice-member-removed = Ya no es miembro de este grupo.

## Temas
taxonomy-title = Temas de los grupos
taxonomy-lead = Las condiciones, comunidades y formatos con los que se etiquetan los grupos. Los nombres deben ser sencillos y centrados en la persona.
taxonomy-name-en = Nombre en inglés
taxonomy-name-es = Nombre en español
taxonomy-save = Guardar
taxonomy-add = Añadir un tema
taxonomy-kind = Tipo
taxonomy-slug = Nombre web (minúsculas, números, guiones)
taxonomy-add-submit = Añadir tema
notice-term-saved = Guardado.
error-term-name = Los nombres necesitan de 2 a 60 caracteres en una sola línea.

## Foro
forum-heading = Foro
forum-start-thread = Abrir un tema
forum-no-threads = Aún no hay temas. Podrías abrir el primero.
forum-older-threads = Temas anteriores
forum-members-only = El foro es para los miembros de este grupo. Únete para leer y participar.
forum-pages = Más mensajes
forum-pinned = Fijado
forum-locked = Cerrado
forum-replies = { $count ->
    [one] 1 respuesta
   *[other] { $count } respuestas
  }
forum-warning-label = Aviso de contenido:
forum-warning-title = Un tema con aviso de contenido: { $warning }
forum-show-title = Mostrar su título
forum-filtered-title = Un tema oculto por tus filtros
forum-warning-summary = Aviso de contenido: { $warning }. Ábrelo para leer.
forum-filtered-summary = Oculto por tus filtros personales. Ábrelo para leer.
forum-anonymous = Un miembro
forum-anonymous-you = publicado por ti; los demás ven «un miembro»
forum-anonymous-revealed = publicado por { $handle }; solo lo ven facilitadores y moderadores
forum-former-member = Una persona que ya no es miembro
forum-follow = Seguir este tema
forum-following = Siguiendo (dejar de seguir)
forum-pin = Fijar
forum-unpin = Dejar de fijar
forum-lock = Cerrar
forum-unlock = Reabrir
forum-first-posts = Primeros mensajes
forum-earlier-posts = Mensajes anteriores
forum-later-posts = Mensajes siguientes
forum-posts-heading = Mensajes
forum-edited = editado (historial)
forum-deleted = Este mensaje fue eliminado.
forum-quote = Citar
forum-edit = Editar
forum-delete = Eliminar…
forum-delete-confirm = Sí, eliminar este mensaje
forum-reply-heading = Responder
forum-locked-note = Este tema está cerrado: no admite respuestas nuevas.
forum-field-title = Título
forum-field-body = ¿Qué te gustaría decir?
forum-field-reply = Tu respuesta
forum-body-hint = Puedes usar Markdown: **negrita**, *cursiva*, > citas, listas y enlaces. Las imágenes se muestran como enlaces.
forum-field-warning = Aviso de contenido (opcional)
forum-warning-hint = Nombra un tema difícil (por ejemplo «autolesión» o «pérdida»). Tu mensaje quedará plegado hasta que alguien decida abrirlo.
forum-field-anonymous = Publicar como «un miembro»
forum-anonymous-hint = Los demás miembros no verán tu nombre. Los facilitadores del grupo y los moderadores sí pueden verlo, para cuidar de todos.
forum-guidelines-legend = Normas de este grupo
forum-accept-guidelines = He leído las normas y las respetaré
forum-post-thread = Publicar tema
forum-post-reply = Publicar respuesta
forum-new-thread-title = Nuevo tema en { $group }
forum-edit-title = Editar tu mensaje
forum-edit-hint = Los demás pueden ver las versiones anteriores de un mensaje editado.
forum-save-edit = Guardar cambios
forum-cancel = Cancelar
forum-history-title = Historial de cambios
forum-history-replaced = Versión sustituida el { $when }
forum-history-current = Versión actual
forum-history-empty = No hay nada que mostrar.
forum-back-to-post = Volver al mensaje
forum-settings = Ajustes del foro
forum-allow-anonymous = Los miembros pueden publicar como «un miembro» (su nombre oculto para los demás miembros)
forum-save-settings = Guardar ajustes
reaction-hug = Abrazo
reaction-me-too = A mí también
reaction-thank-you = Gracias
reaction-strength = Fuerza
error-thread-title = Pon al tema un título de 3 a 150 caracteres, en una línea.
error-post-body = Escribe algo (como máximo 20.000 caracteres).
error-content-warning = El aviso de contenido debe ser una línea de 100 caracteres como máximo.
error-anonymous-not-allowed = Este grupo no admite mensajes anónimos.
error-accept-guidelines = Lee las normas del grupo y marca la casilla para aceptarlas antes de tu primer mensaje.
error-thread-locked = Este tema está cerrado y no admite respuestas nuevas.
error-reaction = Elige una de las reacciones ofrecidas.
error-bad-cursor = Ese enlace de página no es válido. Vuelve a empezar desde la primera página.
error-filter-word = Cada palabra o frase puede tener como máximo 60 caracteres.
error-filter-too-many = Puedes indicar como máximo 100 palabras o frases.
forum-unread = Nuevo
notice-thread-posted = Tu tema está publicado.
notice-thread-pinned = El tema está fijado.
notice-thread-unpinned = El tema ya no está fijado.
notice-thread-locked = El tema está cerrado.
notice-thread-unlocked = El tema vuelve a admitir respuestas.
notice-thread-following = Sigues este tema: las respuestas aparecerán en tus notificaciones.
notice-thread-unfollowed = Has dejado de seguir este tema.
notice-post-edited = Tu mensaje está actualizado.
notice-thread-deleted = Se eliminó la publicación, y con ella el hilo: no tenía otras publicaciones.
notice-post-deleted = El mensaje fue eliminado.
notice-forum-settings = Ajustes del foro guardados.

## Notificaciones
nav-notifications = { $count ->
    [0] Notificaciones
    [one] Notificaciones (1 sin leer)
   *[other] Notificaciones ({ $count } sin leer)
  }
notifications-title = Notificaciones
notifications-mark-read = Marcar todas como leídas
notifications-none = Nada todavía. Aquí verás las respuestas en los temas que sigues, las menciones y las decisiones sobre tus solicitudes.
notifications-new = Nueva
notifications-older = Notificaciones anteriores
notice-notifications-read = Todas las notificaciones están marcadas como leídas.
notification-reply = { $handle } respondió en «{ $thread }»
notification-mention = { $handle } te mencionó en «{ $thread }»
notification-request-approved = Tu solicitud para unirte a { $group } fue aprobada. ¡Te damos la bienvenida!
notification-request-declined = Tu solicitud para unirte a { $group } fue rechazada. Puedes leer el mensaje de los facilitadores en la página del grupo.
notification-report-resolved = Un moderador revisó tu denuncia en { $group } y la cerró. Gracias por cuidar de los demás.
notification-report-resolved-site = Un moderador revisó tu denuncia y la cerró. Gracias por cuidar de los demás.
notification-action-hide = Un moderador ocultó algo que escribiste en { $group }. En tus avisos verás el motivo y cómo apelar.
notification-action-warn = Un moderador te envió una advertencia. En tus avisos verás el motivo y cómo apelar.
notification-action-mute = Un moderador pausó por un tiempo tus publicaciones en { $group }. En tus avisos verás el motivo y cómo apelar.
notification-action-suspend = Un moderador pausó por un tiempo tus publicaciones en Hearth. En tus avisos verás el motivo y cómo apelar.
notification-action-ban = Un moderador detuvo tus publicaciones en Hearth. En tus avisos verás el motivo y cómo apelar.
notification-appeal-upheld = Tu apelación fue resuelta: la medida se mantiene. En tus avisos verás el motivo.
notification-appeal-overturned = Tu apelación fue resuelta: la medida se deshizo. En tus avisos verás el motivo.

## Filtros personales
filters-title = Filtros personales
filters-intro = Los mensajes que contengan estas palabras quedarán plegados para ti, como un aviso de contenido, hasta que decidas abrirlos. Solo tú ves esta lista; se guarda cifrada.
filters-words = Palabras o frases
filters-words-hint = Una por línea o separadas por comas. Una palabra también pliega las palabras más largas que empiezan por ella.
filters-collapse-warnings = Plegar también por completo cada mensaje con aviso de contenido y ocultar esos títulos en las listas
filters-save = Guardar filtros
filters-back = Volver a tu cuenta
notice-filters-saved = Tus filtros están guardados.
account-filters-link = Filtros personales (palabras que prefieres no ver)
account-notifications-link = Notificaciones (respuestas, menciones y decisiones sobre ti)
account-notices-link = Avisos de los moderadores, y apelaciones

error-text-control = Contiene caracteres de control invisibles que no se pueden mostrar. Quítalos e inténtalo de nuevo.
error-too-many-pinned = Un grupo puede tener como máximo 20 temas fijados. Deja de fijar uno primero.
error-websocket-only = Esta dirección solo acepta conexiones WebSocket.

## Chat
chat-link = Sala de chat
chat-empty = Todavía no hay mensajes. Saluda.
chat-messages = Mensajes
chat-earlier = Mensajes anteriores
chat-latest = Mensajes más recientes
chat-message = Tu mensaje
chat-send = Enviar
error-chat-body = Escribe un mensaje de 4.000 caracteres como máximo.
chat-title = { $room } · { $group }
chat-rooms = Salas
chat-message-hint = Pulsa Intro para enviar y Mayús+Intro para una nueva línea.
chat-message-hint-nojs = Escribe tu mensaje y elige Enviar. Los mensajes nuevos de otras personas aparecen al recargar la página.
chat-actions = Acciones
chat-earlier-loaded = Los mensajes anteriores se muestran arriba.
chat-sending = Enviando…
chat-not-sent = No enviado.
chat-retry = Reintentar
chat-deleted = Este mensaje se eliminó.
chat-removed = Una persona facilitadora retiró este mensaje.
chat-hidden = Alguien del equipo de moderación ocultó este mensaje.
chat-hidden-shown = Oculto por moderación: solo lo ven quien lo escribió y quienes moderan.
chat-edited = (editado)
chat-typing = { $name } está escribiendo…
chat-here = Aquí ahora: { $names }
chat-live = Conectado: los mensajes nuevos aparecen aquí al enviarse.
chat-reconnecting = Sin conexión — reconectando. Tus mensajes se guardan y se enviarán cuando vuelva la conexión.
chat-session-ended = Tu sesión terminó y el chat está en pausa. Vuelve a iniciar sesión para seguir; lo que escribiste sigue aquí.
chat-locked-notice = Esta sala está cerrada: por ahora solo sus facilitadores pueden escribir. Puedes seguir leyéndola.
chat-slow-notice = El modo lento está activado: cada miembro puede enviar un mensaje cada { $seconds } segundos.
chat-slow-off = Desactivado
chat-slow-seconds = Un mensaje cada { $seconds } segundos
chat-unread = { $count ->
    [one] 1 nuevo
   *[other] { $count } nuevos
}
chat-unread-many = Muchos nuevos
chat-slow-mode = Modo lento
chat-lock = Cerrar la sala (solo escriben los facilitadores)
chat-settings = Ajustes de la sala
chat-room-name = Nombre de la sala
chat-save-settings = Guardar los ajustes
chat-add-room = Añadir una sala
chat-add-room-hint = Por ejemplo «Presentaciones» u «Otros temas». Un grupo puede tener hasta 10 salas.
chat-add-room-submit = Añadir la sala
chat-delete-confirm = Sí, eliminar este mensaje
chat-edit-title = Editar tu mensaje
chat-save-edit = Guardar
chat-back = Volver a la sala
error-room-name = Da a la sala un nombre de 40 caracteres como máximo.
error-room-limit = Este grupo ya tiene 10 salas, el máximo posible.
error-room-name-taken = Otra sala de este grupo tiene ese nombre. Elige otro.
error-room-locked = Esta sala está cerrada: por ahora solo sus facilitadores pueden escribir.
error-slow-mode = Elige uno de los ajustes de modo lento ofrecidos.
error-slow-mode-wait = El modo lento está activado: podrás enviar tu próximo mensaje en { $seconds } segundos. Tu texto sigue aquí.
error-limit = Pide entre 1 y 100 a la vez.
error-chat-rate = Estás enviando muy rápido. Espera un momento y vuelve a enviarlo. Tu texto sigue aquí.

## Seguridad: respuesta a crisis, alertas, moderación, registro de auditoría
crisis-panel-title = No tienes que pasar por esto a solas
crisis-panel-lead = Lo que escribiste suena muy doloroso. Si estás pensando en quitarte la vida o podrías hacerlo, por favor busca ayuda ahora: estas personas están para ti, de día y de noche.
crisis-panel-emergency = Si estás en peligro inmediato, llama al
crisis-panel-more = Más formas de pedir ayuda, y líneas de otros lugares
crisis-panel-posted = Tu mensaje está publicado y el grupo puede verlo. Es posible que alguien del equipo de moderación te escriba.
crisis-panel-kept = Tu mensaje aún no está publicado: lo guardamos mientras vuelves a iniciar sesión.
crisis-panel-dismiss = Ocultar estas líneas
nav-alerts = { $count ->
    [one] Alertas de crisis (1 abierta)
   *[other] Alertas de crisis ({ $count } abiertas)
}
alerts-title = Alertas de crisis
alerts-views = Qué alertas
alerts-unresolved = Por atender
alerts-resolved = Resueltas
alerts-none = No hay alertas aquí.
alerts-view-source = Leerlo en su contexto
alerts-why = Por qué esta alerta
alerts-outcome = Resultado:
alerts-acknowledge = Atender
alerts-outcome-label = Qué se hizo (para el equipo)
alerts-resolve = Resolver
alerts-deleted-account = una cuenta eliminada
alerts-status-open = Abierta: nadie la ha atendido todavía.
alerts-status-acknowledged = Atendida por { $who } el { $when }.
alerts-status-resolved = Resuelta por { $who } el { $when }.
alerts-level-imminent = Inminente
alerts-level-ideation = Ideación
alerts-summary = { $count ->
    [one] Creada
   *[other] { $count } veces, la última { $last }; creada
}
alerts-new-imminent = Nueva alerta de crisis: riesgo inminente
alerts-new-ideation = Nueva alerta de crisis
notice-alert-acknowledged = Atendida. El equipo ve que te ocupas de ella.
notice-alert-resolved = Resuelta.
error-alert-outcome = Di qué se hizo, en hasta 2000 caracteres.
moderation-title = Moderación
moderation-dashboard = Panel de moderación
moderation-response-title = Tiempo hasta atender las alertas de crisis
moderation-response-caption = Alertas creadas en cada periodo, y cuánto esperaron a alguien del equipo
moderation-window = Periodo
moderation-raised = Creadas
moderation-acknowledged = Atendidas
moderation-median = Espera mediana
moderation-p90 = El 90 % antes de
moderation-last-days = Últimos { $n } días
moderation-no-data = —
duration-seconds = { $n } s
duration-minutes = { $n } min
duration-hours = { $n } h
audit-title = Registro de auditoría
audit-none = Aún no hay nada registrado.
audit-caption = Acciones con privilegios, las más recientes primero
audit-when = Cuándo
audit-who = Quién
audit-what = Acción
audit-object = Sobre
audit-why = Motivo
audit-intact = El registro está íntegro: { $rows } filas, cada una encadenada a la anterior.
audit-broken = El registro ha sido alterado: la fila { $seq } no encaja en la cadena.

## Denuncias, acciones de moderación, avisos y apelaciones
nav-reports = { $count ->
    [one] Denuncias (1 pendiente)
   *[other] Denuncias ({ $count } pendientes)
}
nav-notices = { $count ->
    [one] Avisos de moderación (1 nuevo)
   *[other] Avisos de moderación ({ $count } nuevos)
}
forum-report = Denunciar
forum-hidden = Alguien del equipo de moderación ocultó esta publicación.
forum-hidden-shown = Oculta por moderación: solo la ven quien la escribió y quienes moderan.
report-title = Denunciar al equipo de moderación
report-what-post = Vas a denunciar esta publicación:
report-what-message = Vas a denunciar este mensaje del chat:
report-what-member = Vas a denunciar a esta persona:
report-private = Solo quienes facilitan el grupo y el equipo de moderación de Hearth ven tu denuncia y quién la envió. A la persona denunciada no se le dice quién eres.
report-reason = ¿Qué pasa?
report-reason-harassment = Acoso o intimidación
report-reason-hate = Odio o discriminación
report-reason-unsafe = Contenido peligroso (métodos de autolesión, detalles gráficos)
report-reason-spam = Spam o publicidad
report-reason-sexual = Contenido sexual
report-reason-privacy = Difunde información privada de alguien
report-reason-other = Otra cosa
report-details = Algo que el equipo deba saber (opcional)
report-submit = Enviar la denuncia
report-crisis-hint = Si alguien está en peligro ahora, aquí hay líneas de crisis:
notice-reported = Gracias. El equipo de moderación recibió tu denuncia.
error-report-reason = Elige qué pasa.
error-report-details = Hasta 2000 caracteres.
reports-title = Denuncias
reports-none = No hay denuncias aquí.
report-summary = { $what } { $who } ({ $group })
case-what-post = Una publicación de
case-what-message = Un mensaje del chat de
case-what-member = La persona
report-assigned-to = atendida por
report-open = Abierta
report-resolved-with = Resuelta: { $message }
case-title = Denuncia { $id }
case-reporter = Denunciada por
case-when = Cuándo
case-status = Estado
case-reported = Lo denunciado
case-assign = Encargarme del caso
case-actions = Acciones tomadas
case-no-actions = Ninguna todavía.
case-take-action = Tomar una acción
case-act = Tomar la acción
case-notes = Notas privadas (solo moderación y facilitación)
case-note = Añadir una nota
case-add-note = Añadir la nota
case-resolve = Resolver el caso
case-message = Mensaje para quien denunció
action-hide = Ocultar la publicación
action-hide-message = Ocultar el mensaje
action-warn = Advertencia
action-mute = Silenciada en el grupo
action-suspend = Suspendida
action-ban = Expulsada
action-until = { " " }hasta el { $when }
action-duration = Por cuánto tiempo (silenciar y suspender)
action-reason = Motivo (la persona lo verá)
action-revoked = levantada
action-undo = Deshacer
notice-report-assigned = Te encargas de este caso.
notice-note-added = Nota añadida.
notice-action-taken = Hecho. Se avisó a la persona, con el motivo.
notice-action-revoked = Deshecho.
notice-report-resolved = Resuelta, y se avisó a quien denunció.
error-action-kind = Elige una acción.
error-action-reason = Da el motivo en hasta 500 caracteres: la persona lo verá.
error-action-duration = Elige por cuánto tiempo.
error-action-no-member = No hay a quién aplicarla (la cuenta fue eliminada).
error-action-hide-post = Desde un caso solo se pueden ocultar publicaciones y mensajes del chat.
error-action-hide-gone = Este mensaje se eliminó: no queda nada que ocultar.
error-note = Escribe la nota (hasta 2000 caracteres).
error-report-resolution = Escribe un mensaje para quien denunció (hasta 2000 caracteres).
error-muted = Alguien del equipo de moderación pausó tus publicaciones en este grupo por ahora. Puedes seguir leyendo, y puedes apelar desde tus avisos.
error-suspended = Alguien del equipo de moderación pausó tus publicaciones en Hearth. Puedes seguir leyendo, y puedes apelar desde tus avisos.
notices-title = Avisos de moderación
notices-lead = Cuando el equipo de moderación actúa sobre algo que escribiste, o sobre tu cuenta, aparece aquí con el motivo. Puedes apelar cada acción una vez: decide otra persona del equipo.
notice-hidden-words = Lo que se ocultó (tus palabras se guardan hasta que se decida cualquier apelación):
appeal-hidden-words = Lo que se ocultó (se guarda para esta decisión):
notices-none = Nada por aquí.
appeal-label = ¿Por qué debería revisarse?
appeal-submit = Apelar
appeal-status-open = Apelación pendiente de decisión
appeal-status-upheld = Apelación decidida: la acción se mantiene
appeal-status-overturned = Apelación decidida: la acción se deshizo
notice-appeal-filed = Tu apelación se envió. Decidirá alguien del equipo que no tomó la acción.
error-appeal-twice = Esta acción ya fue apelada.
error-appeal-lifted = Esta acción ya fue levantada.
error-appeal-body = Explica por qué, en hasta 2000 caracteres.
appeals-title = Apelaciones
appeals-none = No hay apelaciones pendientes.
appeals-case = El caso
appeals-own = Tomaste esta acción: decide otra persona del equipo.
appeals-outcome = Decisión
appeals-overturn = Deshacer la acción
appeals-uphold = La acción se mantiene
appeals-decision = Motivo (la persona lo verá)
appeals-decide = Decidir
notice-appeal-decided = Decidido. La persona puede ver la decisión.
error-appeal-own-action = Otra persona del equipo debe decidir la apelación de una acción tuya.
error-appeal-decision = Da el motivo en hasta 500 caracteres.
error-appeal-outcome = Elige una decisión.
alerts-new-report = Nueva denuncia

## Dinámica del grupo
dynamics-title = Quién habla en { $group }
dynamics-summary = En los últimos { $n } días, { $members } miembros escribieron { $total } publicaciones y mensajes.
dynamics-window = Ver los últimos { $n } días
dynamics-private = Solo quienes facilitan este grupo y el equipo de moderación de Hearth ven esta página. Úsala para invitar con suavidad a quienes participan menos; nunca para avergonzar a nadie.
dynamics-caption = Parte de lo escrito por cada miembro
dynamics-member = Miembro
dynamics-posts = Publicaciones
dynamics-messages = Mensajes de chat
dynamics-share = Parte
dynamics-note = Nota
dynamics-dominant = Lleva buena parte de la conversación
dynamics-quiet = Se ha quedado en silencio
group-dynamics-link = Quién habla

## Bloqueos
blocks-title = Miembros bloqueados
blocks-lead = Las publicaciones y los mensajes de quienes bloqueas se te muestran plegados. No se les avisa.
blocks-none = No has bloqueado a nadie.
blocks-unblock = Desbloquear
blocks-handle = Nombre de la persona a bloquear
blocks-block = Bloquear
notice-blocked = Bloqueada. Sus publicaciones y mensajes se te muestran plegados.
notice-unblocked = Desbloqueada.
error-block-unknown = No hay ningún miembro con ese nombre.
error-block-self = No puedes bloquearte.
forum-block = Bloquear
forum-blocked-summary = Una publicación de { $handle }, a quien bloqueaste
chat-blocked-summary = Un mensaje de alguien que bloqueaste

## Defensas contra el abuso: filtros de palabras, publicaciones retenidas, recién llegados
error-filter-blocked = Esto contiene una palabra o frase que esta comunidad no permite. Cámbiala y vuelve a publicar: tu texto sigue aquí. Si estás pidiendo ayuda, nunca se bloquea; la página de Ayuda tiene líneas de crisis.
error-newcomer-wait = Las personas recién llegadas esperan { $newcomer_seconds } segundos entre publicaciones. Vuelve a publicarlo en un momento: tu texto sigue aquí. Si necesitas ayuda ahora, la página de Ayuda tiene líneas de crisis.
error-chat-filtered = Esto contiene una palabra o frase que esta comunidad no permite. Cámbiala y vuelve a enviarlo. Tu texto sigue aquí.
error-post-hidden = Alguien del equipo de moderación ocultó esta publicación. Se guarda tal cual mientras pueda apelarse, así que ahora no se puede cambiar.
error-post-appealed = Tu apelación sobre esta publicación oculta espera una decisión, y la publicación se guarda tal cual hasta entonces.
error-chat-hidden = Alguien del equipo de moderación ocultó este mensaje. Se guarda tal cual mientras pueda apelarse, así que ahora no se puede cambiar.
error-filter-phrase = Escribe una palabra o frase de 8 palabras y 100 caracteres como máximo.
error-filter-action = Elige qué hace el filtro.
error-filter-crisis = Las palabras con las que la gente pide ayuda no se pueden filtrar: el detector de crisis ya se asegura de que alguien las vea.
error-word-filters-too-many = Ya hay 1000 filtros. Quita algunos antes de añadir más.
forum-held-shown = Pendiente de revisión: solo tú y quienes facilitan el grupo lo ven hasta que se apruebe.
forum-hold-first-posts = Retener la primera publicación de cada miembro hasta que alguien que facilita la apruebe
notice-post-held = Gracias. Tu publicación espera la revisión de quien facilita el grupo; por ahora solo tú y esa persona pueden verla.
notice-post-approved = Aprobada. La publicación ya está visible para todo el grupo.
notice-post-declined = Rechazada. La publicación sigue oculta, y su autor puede ver el motivo y apelar.
notice-filter-saved = Filtro guardado.
notice-filter-removed = Filtro quitado.
held-title = Publicaciones pendientes de revisión
held-intro = Solo sus autores y tú ven estas publicaciones hasta que las apruebes. Aprobar las publica; rechazar las oculta, y el autor ve tu motivo y puede apelar.
held-none = No hay publicaciones pendientes de revisión.
held-warning = Aviso de contenido:
held-approve = Aprobar
held-decline = Rechazar
held-decline-reason = Motivo (el autor lo verá)
held-decline-confirm = Rechazar y ocultar la publicación
held-reason-filter = Retenida por un filtro de palabras: { $phrases }
held-reason-first-post = La primera publicación de un miembro en este grupo
filters-admin-title = Filtros de palabras
filters-admin-intro = Un filtro de palabras actúa sobre publicaciones y mensajes de chat que contienen una palabra o frase. Las letras coinciden se escriban como se escriban (mayúsculas, acentos, letras parecidas, ortografía "l33t", letras alargadas).
filters-admin-crisis = Lo escrito en que el detector de crisis encuentra algún riesgo nunca se bloquea ni se retiene: se publica, y un filtro que coincida solo lo señala.
filters-admin-add = Añadir un filtro
filters-admin-phrase = Palabra o frase
filters-admin-phrase-hint = Termínala con * para que coincida con palabras que empiezan así (p. ej. idiot* coincide con idiotas).
filters-admin-action = Qué hace
filters-admin-save = Guardar filtro
filters-admin-list = Filtros
filters-admin-none = Todavía no hay filtros.
filters-admin-by = Añadido por
filters-admin-remove = Quitar
filter-action-block = Bloquear
filter-action-block-hint = Se pide a quien escribe que lo cambie; no se publica nada.
filter-action-hold = Retener para revisión
filter-action-hold-hint = Una publicación espera a que alguien que facilita o modera la apruebe. En el chat, que no puede esperar, se señala en su lugar.
filter-action-flag = Señalar
filter-action-flag-hint = Se publica, y se abre un reporte para el equipo de moderación con las palabras.
report-reason-filter = Señalado por un filtro de palabras
case-reporter-filter = Un filtro de palabras
forum-held-badge = Pendiente de revisión
forum-mute = Silenciar
forum-muted = Silenciado
forum-mute-hint = Silenciar un hilo detiene sus notificaciones y lo pliega en la lista del grupo, solo para ti.
forum-muted-threads = { $count ->
    [one] Un hilo que silenciaste
   *[other] { $count } hilos que silenciaste
}
notice-thread-muted = Hilo silenciado: no recibirás notificaciones de él y queda plegado en la lista. Solo tú puedes verlo.
notice-thread-unmuted = Hilo ya no silenciado.
chat-mute-hint = Silenciar esta sala la vuelve tranquila para ti: los mensajes nuevos no se leen en voz alta y no se muestra quién escribe. Nadie más lo sabe.
chat-muted-hint = Silenciaste esta sala: los mensajes nuevos no se leen en voz alta y no se muestra quién escribe.
reports-new = Hay un reporte nuevo esperando
draft-saved = Tu borrador se guarda en este dispositivo hasta que lo envíes.
draft-restored = Recuperamos tu borrador sin enviar de este dispositivo.
gentle-help-lead = Si las cosas se sienten muy difíciles ahora mismo, no tienes que esperar una respuesta: hay personas dispuestas a escucharte a cualquier hora.
gentle-help-link = Habla con alguien ahora
error-held-changed = Su autor cambió esta publicación después de que la leyeras. Vuelve a leerla antes de decidir.

## The admins' hub
nav-admin = Administración
admin-title = Administración
admin-lead = Todo lo que cuida un administrador, en un solo lugar.
admin-people = Personas y roles
admin-people-about = Busca personas por su alias; nombra o quita moderadores.
admin-proposals = Propuestas de grupos
admin-proposals-about = Grupos propuestos por miembros, a la espera de tu aprobación.
admin-new-group = Crear un grupo
admin-new-group-about = Un grupo nuevo: para quién es, sus normas, cómo se entra.
admin-taxonomy = Temas de los grupos
admin-taxonomy-about = De qué pueden tratar los grupos, en inglés y en español.
admin-filters = Filtros de palabras
admin-filters-about = Palabras que bloquean, retienen o señalan publicaciones y mensajes.
admin-alerts = Alertas de crisis
admin-alerts-about = Personas cuyas palabras sugieren que podrían estar en peligro.
admin-reports = Denuncias
admin-reports-about = Lo que los miembros han denunciado, como casos.
admin-appeals = Apelaciones
admin-appeals-about = Personas que piden revisar una medida.
admin-audit = Registro de auditoría
admin-audit-about = Cada acción con privilegios: quién, qué y cuándo.
admin-backups = Copias de seguridad
admin-backup-last = La última copia de seguridad se hizo el
admin-backup-stale = Hace más de una semana. Haga una ahora y prográmelas.
admin-backup-none = Todavía no se ha hecho ninguna copia de seguridad de esta base de datos.
admin-backup-how = En el servidor, con los mismos ajustes que Hearth, ejecute
admin-mail = Correo electrónico
admin-mail-on = Este servidor envía correo.
admin-mail-queued = Esperando a enviarse:
admin-mail-failed = Abandonados en la última semana (vea el registro del servidor):
admin-mail-off = Este servidor no envía correo: los enlaces para restablecer contraseñas los crea usted, en Personas y roles. Configure mail_url y mail_from para activarlo.
admin-people-lead = Los moderadores atienden alertas de crisis, denuncias y apelaciones en todo Hearth. Los administradores se crean en la línea de comandos del servidor, así que sus roles no se cambian aquí.
admin-people-search = El alias empieza por
admin-people-find = Buscar
admin-people-none = Ningún alias empieza así.
admin-people-handle = Alias
admin-people-role = Rol
admin-people-joined = Se unió
admin-people-change = Cambiar
admin-people-more = Se muestran los primeros 50: escribe más del alias para acotar.
admin-make-moderator = Nombrar moderador/a
admin-remove-moderator = Quitar como moderador/a
notice-role-saved = El rol cambió. Se aplica desde su próxima página.
error-role-choice = Elige miembro o moderador/a.
error-people-query = Busca con hasta 40 caracteres de un alias.
error-role-admin = El rol de esa cuenta no se cambia aquí (el tuyo o el de un administrador).
admin-site = El sitio
admin-site-about = El nombre del sitio, y quién puede unirse: cualquiera, por invitación, o nadie por ahora.
admin-site-name = Nombre del sitio
admin-site-name-hint = Se muestra en la cabecera y en la pestaña del navegador, en todos los idiomas.
admin-site-registration = Quién puede unirse
admin-site-open = Cualquiera
admin-site-invite = Solo personas con invitación
admin-site-closed = Nadie por ahora (los miembros conservan sus cuentas)
admin-site-save = Guardar
admin-invites = Invitaciones
admin-invites-lead = Cada enlace permite unirse a una persona, durante 14 días.
admin-invites-open = Sin usar ahora:
admin-invite-make = Crear un enlace de invitación
admin-invite-once = Copia este enlace y envíalo a la persona que invitas. Solo se muestra ahora.
admin-invite-link = Enlace de invitación
notice-site-saved = Guardado.
notice-invite-made = Hay una invitación nueva lista.
error-site-name = Dale al sitio un nombre de hasta 40 caracteres.
group-archive-title = Archivar
group-archive-lead = Un grupo archivado sigue siendo legible para sus miembros, pero nadie puede escribir en él, y ya no aparece en la lista ni admite miembros. Puedes recuperarlo.
group-archived-lead = Este grupo está archivado: sus miembros pueden leerlo, nadie puede escribir en él y no aparece en la lista.
group-archive = Archivar este grupo
group-unarchive = Recuperar este grupo
group-archived-banner = Este grupo está archivado: puedes leerlo, pero ahora nadie puede escribir en él.
notice-group-archived = El grupo está archivado.
notice-group-unarchived = El grupo volvió: los miembros pueden escribir de nuevo.

## Restablecer la contraseña
login-forgot = ¿Olvidó su contraseña?
forgot-title = Restablecer la contraseña
forgot-lead = Si dio una dirección de correo al registrarse, escriba su nombre de usuario y esa dirección. Le enviaremos un enlace para elegir una contraseña nueva.
forgot-email = La dirección de correo que dio
forgot-submit = Enviarme un enlace
forgot-no-address = Si no dio ninguna dirección, un administrador puede crearle un enlace: pida a un moderador o facilitador de confianza que transmita su solicitud.
forgot-no-mail = Esta comunidad no envía correo. Un administrador puede crearle un enlace para elegir una contraseña nueva: pida a un moderador o facilitador de confianza que transmita su solicitud.
forgot-back = Volver a iniciar sesión
notice-reset-sent = Si ese nombre de usuario tiene esa dirección, le hemos enviado un enlace. Funciona una sola vez, durante 30 minutos. Si no llega, revise la carpeta de correo no deseado.
reset-title = Elija una contraseña nueva
reset-lead = Elija una contraseña nueva para
reset-submit = Guardar la contraseña nueva
reset-gone = Este enlace ha caducado o ya se usó. Los enlaces funcionan una sola vez, por tiempo limitado.
reset-ask-again = Pedir un enlace nuevo
notice-password-reset = Su contraseña ha cambiado y se han cerrado todas las sesiones abiertas. Inicie sesión con la contraseña nueva.
error-handle-required = Escriba su nombre de usuario.
error-email-required = Escriba la dirección de correo que dio.
admin-reset-link = Crear un enlace para restablecer la contraseña
reset-link-title = Un enlace para restablecer la contraseña
reset-link-for = Un enlace para elegir una contraseña nueva para
reset-link-label = El enlace
reset-link-about = Entrégueselo en privado. Funciona una sola vez, durante { $hours } horas. Cierra todas sus sesiones abiertas y desactiva su aplicación de autenticación, si tenía una, para que pueda configurarla de nuevo.
mail-reset-subject = Restablezca su contraseña en { $site }
mail-reset-body =
    Hola, { $handle }:

    Alguien pidió restablecer la contraseña de su cuenta en { $site }. Si fue usted, abra este enlace en los próximos { $minutes } minutos y elija una contraseña nueva:

    { $link }

    El enlace funciona una sola vez. Si no fue usted, no tiene que hacer nada: su contraseña sigue siendo la misma.

## Segundo factor
security-title = Segundo factor
security-teaser = Un código de una aplicación en su teléfono, pedido después de la contraseña, mantiene su cuenta a salvo aunque alguien conozca la contraseña.
security-manage = Configurar o cambiar su segundo factor
security-lead = Con el segundo factor activado, al iniciar sesión se pide la contraseña y luego un código de seis cifras de una aplicación de autenticación en su teléfono (como Aegis, FreeOTP o Google Authenticator). Los moderadores y administradores lo necesitan para usar sus herramientas.
security-off = Su segundo factor está desactivado.
security-start = Configurar una aplicación de autenticación
security-setup-title = Configure su aplicación de autenticación
security-setup-scan = En su aplicación de autenticación, añada una cuenta y escanee este código.
security-setup-type = Si no puede escanearlo, escriba esta clave:
security-setup-confirm = Después escriba su contraseña y el código de seis cifras que muestra la aplicación ahora.
security-setup-submit = Activar el segundo factor
field-app-code = El código que muestra la aplicación
security-on = Su segundo factor está activado.
security-codes-left = Códigos de recuperación restantes:
security-codes-title = Sus códigos de recuperación
security-codes-lead = Cada código le permite iniciar sesión una vez sin su teléfono. Guárdelos en un lugar seguro y privado, como un gestor de contraseñas o en papel. Solo se muestran ahora.
security-new-codes = Códigos de recuperación nuevos
security-new-codes-submit = Crear códigos de recuperación nuevos
security-off-title = Desactivar el segundo factor
security-off-lead = Al iniciar sesión solo se pedirá la contraseña. Los moderadores y administradores pierden sus herramientas hasta que vuelvan a configurarlo.
security-off-submit = Desactivarlo
notice-second-factor-on = Su segundo factor está activado. Guarde sus códigos de recuperación en un lugar seguro.
notice-second-factor-off = Su segundo factor está desactivado.
notice-second-factor-expired = Tardó demasiado. Inicie sesión de nuevo.
second-factor-title = Escriba su código
second-factor-lead = Su contraseña es correcta. Ahora escriba el código de seis cifras de su aplicación de autenticación.
field-code = Código
field-code-hint = Las seis cifras que muestra la aplicación ahora, o uno de sus códigos de recuperación.
second-factor-submit = Iniciar sesión
second-factor-lost = ¿Perdió su teléfono? Escriba uno de sus códigos de recuperación. Si no le queda ninguno, un administrador puede ayudarle.
error-code-wrong = Ese código no es correcto o ya se usó. Escriba el código que muestra la aplicación ahora.
error-second-factor-on = Su segundo factor ya está activado.
error-second-factor-off = Su segundo factor está desactivado.
error-second-factor-none-waiting = Vuelva a empezar la configuración de la aplicación.
error-second-factor-required = Esta cuenta inicia sesión con un segundo factor: envíe el código de su aplicación (o un código de recuperación) como "code".
staff-second-factor-needed = Sus herramientas de moderación esperan un segundo factor: se abren cuando esta sesión lo haya demostrado.
staff-second-factor-set-up = Configurar su segundo factor

## Llaves de acceso
passkey-login = Iniciar sesión con una llave de acceso
passkey-use = Usar una llave de acceso
passkey-failed = No se usó la llave de acceso. Inténtelo de nuevo o use su contraseña o un código.
security-passkeys = Llaves de acceso
security-passkeys-lead = Una llave de acceso le permite iniciar sesión con el bloqueo de su teléfono u ordenador (huella, rostro o PIN) en lugar de escribir una contraseña. Cuenta como los dos factores, así que los moderadores y administradores pueden usar sus herramientas enseguida.
security-passkeys-none = No tiene llaves de acceso.
security-passkey-added = añadida el
security-passkey-used = último uso
security-passkey-never = nunca
security-passkey-remove = Quitar
security-passkey-remove-password = Su contraseña actual, para quitar
security-passkey-add = Añadir una llave de acceso
security-passkeys-need-js = Añadir o usar una llave de acceso necesita JavaScript.
security-passkeys-unavailable = La dirección de este sitio no permite llaves de acceso (los navegadores solo las ofrecen a sitios con nombre de dominio).
field-passkey-name = Un nombre para esta llave de acceso
field-passkey-name-hint = Para distinguir sus llaves más adelante, como «mi teléfono».
notice-passkey-added = Su llave de acceso está añadida. Desde ahora puede iniciar sesión con ella.
notice-passkey-removed = La llave de acceso se ha quitado.
error-passkey-failed = No se pudo usar esa llave de acceso. Inténtelo de nuevo.
error-passkeys-unavailable = La dirección de este sitio no permite llaves de acceso.
error-passkeys-too-many = Tiene tantas llaves de acceso como puede tener una cuenta. Quite una primero.

## Live sessions
sessions-title = Sesiones en vivo de { $group }
sessions-link = Sesiones en vivo
sessions-none = Aún no hay sesiones programadas.
sessions-coming = Próximas
session-when = { $weekday } { $day } de { $month } de { $year }, { $start }–{ $end }
weekday-1 = lunes
weekday-2 = martes
weekday-3 = miércoles
weekday-4 = jueves
weekday-5 = viernes
weekday-6 = sábado
weekday-7 = domingo
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre
session-format = Cómo se participa
session-format-video = Video (la cámara es opcional)
session-format-audio = Solo audio
session-format-text = Solo chat de texto
session-places = { $count } de { $total } lugares ocupados
session-places-waiting = { $count } de { $total } lugares ocupados, { $n } en espera
session-you-are-going = Vas a venir.
session-you-are-waiting = Eres el número { $n } de la lista de espera. Si se libera un lugar, es tuyo.
session-zone-yours = Las horas están en tu zona horaria, { $zone }.
session-zone-theirs = Las horas están en la zona horaria de cada sesión. Elige la tuya para verlas en tu hora.
session-zone-change = Cambiar tu zona horaria
session-new-title = Programar una sesión en vivo de { $group }
session-recurrence-once = Una vez
session-recurrence-weekly = Cada semana
session-recurrence-fortnightly = Cada dos semanas
session-recurrence-monthly = Cada mes, el mismo día de la misma semana
session-repeats-until = { $what }, hasta el { $when }
session-ics-name = Sesiones en vivo de Hearth
session-schedule = Programar una sesión
session-attend = Voy a ir
session-join-waitlist = Entrar en la lista de espera
session-withdraw = Al final no puedo ir
session-leave-waitlist = Salir de la lista de espera
session-series-cancelled = Esta sesión se canceló.
session-repeats = Se repite
session-home-zone = Su zona horaria
session-no-recording = Nada de una sesión en vivo se graba: Hearth no tiene función de grabación.
session-ics = Añadir a mi calendario (.ics)
session-manage = Para quienes facilitan
session-attendees-next = Quién viene a la próxima fecha
session-waiting-label = en espera
session-cancel-which = Cancelar
session-cancel-series = Todas las fechas que quedan
session-cancel = Cancelarla
session-field-title = Título
session-field-description = De qué trata (opcional)
session-field-start = Primera fecha y hora de inicio
session-field-start-hint = Según el reloj de la zona horaria de abajo.
session-field-zone = Zona horaria
session-field-minutes = Duración en minutos
session-field-recurrence = Se repite
session-field-until = Última fecha (opcional)
session-field-until-hint = Déjala vacía para una serie sin fin.
session-field-capacity = Lugares
session-field-capacity-hint = De 2 a 100. Cuando se llena, otras personas pueden entrar en una lista de espera.
error-session-title = Ponle a la sesión un título de hasta 120 caracteres.
error-session-description = La descripción puede tener hasta 4000 caracteres.
error-session-start = Escribe la fecha y la hora de inicio, como 2027-01-14 19:00.
error-session-zone = Elige una zona horaria de la lista, como America/Mexico_City.
error-session-minutes = Escribe una duración de 15 a 480 minutos.
error-session-recurrence = Elige cada cuánto se repite.
error-session-until = Escribe la última fecha como 2027-06-30, o déjala vacía.
error-session-until-before = La última fecha no puede ser anterior a la primera.
error-session-too-far = Las sesiones se pueden programar hasta con dos años de anticipación.
error-session-past = Esa hora ya pasó.
error-session-capacity = Escribe un número de lugares de 2 a 100.
error-session-format = Elige cómo se participa.
error-session-date = Esa fecha no es una de esta sesión.
notice-session-scheduled = La sesión está programada.
notice-session-going = Tienes un lugar. Está en tu lista de próximas sesiones.
notice-session-waiting = La sesión está llena, así que estás en la lista de espera. Si se libera un lugar, es tuyo.
notice-session-withdrawn = Dejaste tu lugar. Gracias por avisar al grupo.
notice-session-cancelled = Quedó cancelada.
calendar-title = Tu calendario suscrito
calendar-lead = Una dirección privada a la que tu aplicación de calendario puede suscribirse: muestra las sesiones en vivo de todos tus grupos y se mantiene al día cuando cambian.
calendar-private = Cualquiera con la dirección puede ver cuándo se reúnen tus grupos, así que guárdala para ti. Puedes crear una nueva cuando quieras; la anterior deja de funcionar.
calendar-address = Tu dirección de calendario
calendar-address-hint = Cópiala en tu aplicación de calendario («suscribirse» o «añadir por URL»). Solo se muestra esta vez.
calendar-made = Creaste una dirección de calendario el { $when }.
calendar-make = Crear mi dirección de calendario
calendar-remake = Crear una dirección nueva (la anterior deja de funcionar)
calendar-end = Desactivar mi dirección de calendario
notice-calendar-off = Tu dirección de calendario ya no funciona.
account-calendar-link = Tu calendario suscrito
mail-session-reminder-subject = Se acerca una sesión en vivo en la que tienes un lugar
mail-session-reminder-body =
    Hola, { $handle }:

    Una sesión en vivo en la que tienes un lugar empieza el { $when }.

    Está aquí: { $link }

    Si al final no puedes ir, puedes dejar tu lugar allí para que lo tenga alguien en espera. Recibes esto porque reservaste un lugar en { $site }.
notification-session-reminder = { $what } ({ $group }) es el { $when }: tienes un lugar.
notification-session-place = Se liberó un lugar para ti en { $what } ({ $group }) el { $when }.
notification-session-cancelled = { $what } ({ $group }) del { $when } se canceló.
field-quiet-hours = Horas de silencio
field-quiet-hours-hint = Ningún recordatorio por correo entre estas horas, según tu reloj (tu zona horaria de arriba, o si no la de cada sesión).
field-quiet-from = Desde
field-quiet-to = Hasta
account-quiet-none = Ninguna
error-quiet-hours = Elige las dos horas, distintas entre sí, o ninguna.
