"""Model objects for tests: a hospitality mobility, Italy (home) to Germany (host), learner aged 17."""
from ecvet_credentials.model import *
HOST="did:key:z6Mksq6zm1SAjQECE3RajjixppcrrGGeuSeaf4YzLVkWwN99"
HOME="did:key:z6Mku5cfw33qTV17B5KBzNGn6RpcqYABjLFzviZr2Bre6omS"
LEARNER="did:key:z6Mkrm2zMFeYfgcttwRD7EYictuhHQhdTS8xPP4iDmRnd8nC"
GUARD="did:key:z6MkmTifVdJcCRCJBBnsX7UwE1rxBoBabc9hyNDjZR7dFz5B"
host=Institution(HOST,"Berufskolleg Rhein-Ruhr","DE",(Identifier("D  BEISPIEL01","Erasmus code"),),Person("Anna Becker","a.becker@bk.example","ECVET coordinator"))
home=Institution(HOME,"Istituto Professionale Leonardo da Vinci","IT",(Identifier("I  ESEMPIO02","Erasmus code"),),Person("Paolo Conti","p.conti@ip.example","Mobility coordinator"))
learner=Learner("Giulia","Rossi","2009-05-14","IPL-2024-0456","Istituto Leonardo student number",LEARNER)
los=[["Prepares mise en place for hot dishes according to recipe and hygiene rules","Cooks meat and fish dishes to order using grill, pan and oven","Plates and garnishes dishes to the house standard","Keeps the station clean and tidy during service","Communicates orders and timing with the brigade"],
["Applies HACCP critical-control-point checks and records them","Stores raw and cooked food at the correct temperatures","Recognises allergens and labels dishes accordingly","Cleans and disinfects equipment following the plan","Explains the reasons for food-safety rules to new colleagues"],
["Greets guests and takes orders in German and English","Describes dishes and suggests suitable drinks","Serves and clears tables following service rules","Handles a guest complaint politely and reports it","Prepares the bill and handles cash and card payment"]]
titles=["Preparing and cooking hot dishes","Food safety and hygiene (HACCP)","Guest service in the restaurant"]
units=[UnitOfLearningOutcomes(f"ENO-U{i+1}",{"en":t},[LearningOutcome({"en":x}) for x in lo],[4,3,3][i],4) for i,(t,lo) in enumerate(zip(titles,los))]
scheme=GradingScheme({"en":"German school grades 1-6 (1 very good, 4 sufficient = pass)"})
tutor=Person("Klaus Weber",None,"Head chef, in-company tutor")
pt=PersonalTranscript(host,learner,"2026-09-28","2026-11-20",8,7.5,"Work placement in the kitchen and restaurant of Hotel Rheinblick, Duisburg",
  [UnitResult(u,u.ecvet_points,Assessment("practical","2026-11-1%d"%(i+6),{"de":["2 (gut)","1 (sehr gut)","2 (gut)"][i]},scheme,True,None,tutor)) for i,u in enumerate(units)],
  home=home, activity_type="internship", workload_hours=300)
la_units=[UnitOfLearningOutcomes(u.code,u.title,[LearningOutcome(lo.text,"skill") for lo in u.outcomes],u.ecvet_points,4) for u in units]
la=LearningAgreement(home,host,learner,"2026-09-28","2026-11-20",Qualification({"it":"Operatore della ristorazione","en":"Catering operator"},4,"IT: qualifica professionale, livello 3","IeFP-RIST"),
  la_units,"Eight weeks in the kitchen and restaurant of Hotel Rheinblick",[AssessmentArrangement([tutor, host.contact],"last week of the placement",["practical","oral"],"Assessment grid signed by the tutor, kept in the learner's file")],
  Arrangement([home.contact],"The class council validates the transcript against this agreement"),Arrangement([Person("Laura Bianchi",None,"Head teacher")],"Points are credited toward the qualification and recorded in the school register"),
  guardian=Person("Marco Rossi","marco.rossi@example.org","Father",GUARD), activity_type="internship", daily_hours=7.5)
rec=Recognition(home,learner,la.qualification,[RecognisedUnit(u.code,u.title,u.ecvet_points,True,4,"urn:uuid:3f1e6a1c-8b2d-4c55-9f00-1a2b3c4d5e6f#u%d"%(i+1)) for i,u in enumerate(units)],
  "2026-12-10",Person("Laura Bianchi",None,"Head teacher"),CredentialRef("urn:uuid:3f1e6a1c-8b2d-4c55-9f00-1a2b3c4d5e6f","uEiAbc"),CredentialRef("urn:uuid:00000000-8b2d-4c55-9f00-1a2b3c4d5e6f","uEiXyz"))
